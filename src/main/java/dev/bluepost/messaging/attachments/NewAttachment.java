package dev.bluepost.messaging.attachments;

/**
 * A file as a client sent it. Nothing of it is trusted: the type is detected from {@code content},
 * the name is sanitized, and a {@code declaredType} or name extension that contradicts the
 * content is refused.
 *
 * @param fileName     the name the client gave (may be null)
 * @param declaredType the media type the client declared (may be null)
 */
public record NewAttachment(String fileName, String declaredType, byte[] content) {}
