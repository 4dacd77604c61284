package dev.bluepost.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Small real files made on the spot: valid images and PDFs, and the bad inputs attachments must refuse. */
public final class SampleFiles {

    private SampleFiles() {}

    public static byte[] png() {
        return image("png", Color.BLUE);
    }

    public static byte[] jpeg() {
        return image("jpg", Color.ORANGE);
    }

    private static byte[] image(String format, Color color) {
        BufferedImage image = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 24, 16);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A one-page PDF that says {@code text}. */
    public static byte[] pdf(String text) {
        return pdfWithCatalogExtras(text, "");
    }

    /** A PDF whose catalog opens with JavaScript; {@code name} is how the name is spelled (e.g. {@code /J#61vaScript}). */
    public static byte[] pdfWithJavaScript(String name) {
        return pdfWithCatalogExtras(
                "hello", " /OpenAction << /S " + name + " /JS (app.alert\\('x'\\)) >>");
    }

    public static byte[] pdfWithLaunchAction() {
        return pdfWithCatalogExtras("hello", " /OpenAction << /S /Launch /F (calc.exe) >>");
    }

    private static byte[] pdfWithCatalogExtras(String text, String catalogExtras) {
        String content = "BT /F1 12 Tf 20 50 Td (" + text + ") Tj ET";
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R" + catalogExtras + " >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
                    + "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        };
        return assemble(objects);
    }

    /** A PDF 1.5 whose JavaScript action hides in a Flate-compressed object stream. */
    public static byte[] pdfWithJavaScriptInObjectStream() {
        byte[] inner =
                "6 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>"
                        .getBytes(StandardCharsets.ISO_8859_1);
        byte[] deflated = deflate(inner);
        String header =
                "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                        + deflated.length
                        + " >>\nstream\n";
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
            "<< /Type /Pages /Kids [] /Count 0 >>"
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] start = assemble(objects);
        out.writeBytes(start);
        out.writeBytes(("7 0 obj\n" + header).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(deflated);
        out.writeBytes("\nendstream\nendobj\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** A PDF whose object stream uses a filter the check does not decode. */
    public static byte[] pdfWithUncheckableObjectStream() {
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [] /Count 0 >>",
            "<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode /Length 4 >>\nstream\nABCD\nendstream"
        };
        return assemble(objects);
    }

    private static byte[] assemble(String[] objects) {
        StringBuilder pdf = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) {
            pdf.append(String.format("%010d 00000 n \n", offset));
        }
        pdf.append("trailer\n<< /Size ")
                .append(objects.length + 1)
                .append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref)
                .append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A Windows executable's first bytes (DOS header with the PE offset). */
    public static byte[] windowsExecutable() {
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[0x3C] = (byte) 0x80;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        return exe;
    }

    public static byte[] elfExecutable() {
        byte[] elf = new byte[64];
        elf[0] = 0x7F;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        return elf;
    }

    public static byte[] shellScript() {
        return "#!/bin/sh\nrm -rf ~\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** A zip bomb in miniature: a few KB that inflate to 64 MiB of zeros. */
    public static byte[] zipBomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] html() {
        return "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] svg() {
        return "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[data.length + 64];
        int n = deflater.deflate(buffer);
        deflater.end();
        return java.util.Arrays.copyOf(buffer, n);
    }
}
