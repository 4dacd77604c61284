package dev.bluepost.directory;

import dev.bluepost.fhir.StoredResource;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A practice (FHIR Organization) with its IANA time zone. */
@Entity
@Table(name = "practice")
public class Practice extends StoredResource {

    @Column(nullable = false)
    public String name;

    /** Null when the Organization names no zone: the configured default applies. */
    @Column(name = "time_zone")
    public String timeZone;

    @Column(nullable = false)
    public boolean active = true;

    /** Days after a thread's last message during which a patient may reply; null = the configured default. */
    @Column(name = "reply_window_days")
    public Integer replyWindowDays;
}
