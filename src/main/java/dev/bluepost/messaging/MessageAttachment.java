package dev.bluepost.messaging;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A file attached to a message. Its bytes and its file name are AES-256-GCM ciphertext under the
 * thread's data key; the content type is the one detected from the bytes. Metadata queries select
 * columns explicitly so that listing a thread never loads the ciphertext of its files.
 */
@Entity
@Table(name = "message_attachment")
public class MessageAttachment extends PanacheEntityBase {

    @Id public UUID id;

    @Column(name = "message_id", nullable = false)
    public UUID messageId;

    @Column(name = "thread_id", nullable = false)
    public UUID threadId;

    @Column(nullable = false)
    public int position;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "name_iv", nullable = false)
    public byte[] nameIv;

    @Column(name = "name_ciphertext", nullable = false)
    public byte[] nameCiphertext;

    @Column(name = "name_sha256", nullable = false)
    public byte[] nameSha256;

    @Column(name = "content_iv", nullable = false)
    public byte[] contentIv;

    @Basic(fetch = FetchType.LAZY)
    @Column(name = "content_ciphertext", nullable = false)
    public byte[] contentCiphertext;

    @Column(name = "content_sha256", nullable = false)
    public byte[] contentSha256;

    @Column(name = "content_sha1", nullable = false)
    public byte[] contentSha1;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
