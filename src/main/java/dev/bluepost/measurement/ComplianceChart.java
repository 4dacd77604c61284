package dev.bluepost.measurement;

import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.Threshold;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Server-rendered SVG of every EP's percentage against the threshold line, readable without colour:
 * each bar carries its percentage and "met" / "not met" in text, bars that miss are hatched, the
 * threshold is a dashed line through the bars with its own label, and the figure has a text alternative.
 */
final class ComplianceChart {

    /** The chart's words in the reader's language. */
    record Words(String title, String threshold, String met, String notMet, String nobodySeen) {}

    /** Narrow enough that a phone shows the text at a readable size; the figure is capped in width on a desktop. */
    private static final int WIDTH = 380;

    private static final int PLOT = 200;
    private static final int ROW = 54;
    private static final int TOP = 34;

    private ComplianceChart() {}

    static String svg(List<EpMeasureReport> reports, Words words) {
        if (reports.isEmpty()) {
            return "";
        }
        Threshold threshold = reports.get(0).threshold();
        double line =
                threshold.kind() == Threshold.Kind.MORE_THAN_PERCENT ? threshold.percent() : 0;
        double max = Math.max(10, line * 2);
        for (EpMeasureReport r : reports) {
            max = Math.max(max, percent(r));
        }
        max = Math.min(100, Math.ceil(max / 5) * 5);
        int bottom = TOP + ROW * reports.size();
        int height = bottom + 26;
        StringBuilder s = new StringBuilder();
        s.append(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bp-chart\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" aria-labelledby=\"chart-title chart-desc\">");
        s.append("<title id=\"chart-title\">").append(escape(words.title())).append("</title>");
        s.append("<desc id=\"chart-desc\">");
        for (EpMeasureReport r : reports) {
            s.append(escape(r.name()))
                    .append(": ")
                    .append(r.percent())
                    .append(", ")
                    .append(status(r, words))
                    .append(". ");
        }
        s.append("</desc>");
        s.append(
                        "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
                .append(
                        "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#444\" stroke-width=\"2\"/></pattern></defs>");
        int plot = PLOT;
        s.append("<line x1=\"1\" y1=\"")
                .append(TOP - 4)
                .append("\" x2=\"1\" y2=\"")
                .append(bottom)
                .append("\" stroke=\"#1b1b1b\"/>");
        for (int tick = 0; tick <= 2; tick++) {
            double value = max * tick / 2;
            double x = 1 + plot * tick / 2.0;
            String anchor = tick == 0 ? "start" : "middle";
            s.append("<text x=\"")
                    .append(fmt(x))
                    .append("\" y=\"")
                    .append(bottom + 20)
                    .append("\" text-anchor=\"")
                    .append(anchor)
                    .append("\" font-size=\"14\">")
                    .append(fmt(value))
                    .append(" %</text>");
        }
        int y = TOP;
        for (EpMeasureReport r : reports) {
            double w = plot * percent(r) / max;
            s.append("<text x=\"1\" y=\"")
                    .append(y + 16)
                    .append("\" font-size=\"16\" font-weight=\"bold\">")
                    .append(escape(r.name()))
                    .append("</text>");
            s.append("<rect x=\"1\" y=\"")
                    .append(y + 24)
                    .append("\" width=\"")
                    .append(fmt(Math.max(w, 0.5)))
                    .append("\" height=\"22\" fill=\"")
                    .append(r.thresholdMet() ? "#005ea2" : "url(#hatch)")
                    .append("\" stroke=\"#1b1b1b\"/>");
            s.append("<text x=\"")
                    .append(PLOT + 8)
                    .append("\" y=\"")
                    .append(y + 40)
                    .append("\" font-size=\"14\">")
                    .append(escape(r.percent()))
                    .append(" · ")
                    .append(escape(status(r, words)))
                    .append("</text>");
            y += ROW;
        }
        if (line > 0) {
            // the dashed threshold runs through the bars only, never through the names above them
            double x = 1 + plot * line / max;
            for (int row = 0; row < reports.size(); row++) {
                int barTop = TOP + ROW * row + 20;
                s.append("<line x1=\"")
                        .append(fmt(x))
                        .append("\" y1=\"")
                        .append(barTop)
                        .append("\" x2=\"")
                        .append(fmt(x))
                        .append("\" y2=\"")
                        .append(barTop + 30)
                        .append("\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>");
            }
            // and a short tick under its label, above the first name
            s.append("<line x1=\"")
                    .append(fmt(x))
                    .append("\" y1=\"")
                    .append(TOP - 10)
                    .append("\" x2=\"")
                    .append(fmt(x))
                    .append("\" y2=\"")
                    .append(TOP - 2)
                    .append("\" stroke=\"#000\" stroke-width=\"2\"/>");
            boolean left = x < WIDTH / 2.0;
            s.append("<text x=\"")
                    .append(fmt(left ? x + 4 : x - 4))
                    .append("\" y=\"")
                    .append(TOP - 14)
                    .append("\" text-anchor=\"")
                    .append(left ? "start" : "end")
                    .append("\" font-size=\"15\" font-weight=\"bold\">")
                    .append(escape(words.threshold()))
                    .append("</text>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String status(EpMeasureReport r, Words words) {
        return r.denominatorCount() == 0
                ? words.nobodySeen()
                : r.thresholdMet() ? words.met() + " ✓" : words.notMet() + " ✗";
    }

    private static double percent(EpMeasureReport r) {
        BigDecimal score = r.score();
        return score == null ? 0 : score.doubleValue() * 100;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
