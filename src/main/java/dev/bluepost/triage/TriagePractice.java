package dev.bluepost.triage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

/** Triage settings of a practice: the Device its automatic replies come from, its on-call pool, its business hours. */
@Entity
@Table(name = "triage_practice")
public class TriagePractice {

    @Id
    @Column(name = "practice_id")
    public UUID practiceId;

    @Column(name = "device_id")
    public UUID deviceId;

    @Column(name = "on_call_pool_id")
    public UUID onCallPoolId;

    @Column(nullable = false)
    public LocalTime opens;

    @Column(nullable = false)
    public LocalTime closes;

    /** Comma-separated: MON,TUE,WED,THU,FRI. */
    @Column(name = "open_days", nullable = false)
    public String openDays;

    @Column(name = "defaults_installed")
    public Instant defaultsInstalled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
