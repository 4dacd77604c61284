package dev.bluepost.messaging.attachments;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The kinds of file a message may carry, as detected from their bytes (see {@link FileSniffer}). */
public enum FileType {
    JPEG(
            "image/jpeg",
            "JPEG image",
            "jpg",
            Set.of("jpg", "jpeg", "jpe", "jfif"),
            Set.of("image/jpg", "image/pjpeg")),
    PNG("image/png", "PNG image", "png", Set.of("png"), Set.of("image/x-png")),
    PDF("application/pdf", "PDF document", "pdf", Set.of("pdf"), Set.of("application/x-pdf"));

    private final String mediaType;
    private final String label;
    private final String extension;
    private final Set<String> extensions;
    private final Set<String> mediaTypeAliases;

    FileType(
            String mediaType,
            String label,
            String extension,
            Set<String> extensions,
            Set<String> mediaTypeAliases) {
        this.mediaType = mediaType;
        this.label = label;
        this.extension = extension;
        this.extensions = extensions;
        this.mediaTypeAliases = mediaTypeAliases;
    }

    /** The media type served with the file ({@code Content-Type}, FHIR {@code contentType}). */
    public String mediaType() {
        return mediaType;
    }

    /** "PDF document", for people. */
    public String label() {
        return label;
    }

    /** The extension a sanitized file name ends with when its own does not fit. */
    public String extension() {
        return extension;
    }

    public boolean hasExtension(String ext) {
        return extensions.contains(ext.toLowerCase(Locale.ROOT));
    }

    /** Whether a declared media type (parameters ignored, aliases accepted) names this type. */
    public boolean isMediaType(String declared) {
        String bare = bare(declared);
        return mediaType.equals(bare) || mediaTypeAliases.contains(bare);
    }

    public static Optional<FileType> byMediaType(String declared) {
        return Arrays.stream(values()).filter(t -> t.isMediaType(declared)).findFirst();
    }

    public static Optional<FileType> byExtension(String ext) {
        return Arrays.stream(values()).filter(t -> t.hasExtension(ext)).findFirst();
    }

    static String bare(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }
}
