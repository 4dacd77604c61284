package dev.bluepost.measurement;

import dev.bluepost.measurement.engine.EpMeasureReport;
import dev.bluepost.measurement.engine.Threshold;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Server-rendered SVG of every EP's percentage against the threshold line, readable without colour:
 * each bar carries its percentage and "met" / "not met" in text, bars that miss are hatched, the
 * threshold is a dashed line with its own label, and the figure has a text alternative.
 */
final class ComplianceChart {

    private static final int LABEL = 220;
    private static final int PLOT = 460;
    private static final int ROW = 28;

    private ComplianceChart() {
    }

    static String svg(List<EpMeasureReport> reports) {
        if (reports.isEmpty()) {
            return "";
        }
        Threshold threshold = reports.get(0).threshold();
        double line = threshold.kind() == Threshold.Kind.MORE_THAN_PERCENT ? threshold.percent() : 0;
        double max = Math.max(10, line * 2);
        for (EpMeasureReport r : reports) {
            max = Math.max(max, percent(r));
        }
        max = Math.min(100, Math.ceil(max / 5) * 5);
        int height = 40 + ROW * reports.size() + 30;
        int width = LABEL + PLOT + 150;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" aria-labelledby=\"chart-title chart-desc\">");
        s.append("<title id=\"chart-title\">Percentage per EP against the threshold (").append(escape(threshold.label())).append(")</title>");
        s.append("<desc id=\"chart-desc\">");
        for (EpMeasureReport r : reports) {
            s.append(escape(r.name())).append(": ").append(r.percent()).append(", ").append(r.thresholdMet() ? "met" : "not met").append(". ");
        }
        s.append("</desc>");
        s.append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
                .append("<rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#444\" stroke-width=\"2\"/></pattern></defs>");
        // axis
        int top = 30;
        int bottom = top + ROW * reports.size();
        s.append("<line x1=\"").append(LABEL).append("\" y1=\"").append(top - 5).append("\" x2=\"").append(LABEL).append("\" y2=\"").append(bottom)
                .append("\" stroke=\"#222\"/>");
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            double x = LABEL + PLOT * tick / 4.0;
            s.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(bottom + 18).append("\" text-anchor=\"middle\" font-size=\"11\">")
                    .append(fmt(value)).append(" %</text>");
        }
        int y = top;
        for (EpMeasureReport r : reports) {
            double p = percent(r);
            double w = PLOT * p / max;
            s.append("<text x=\"").append(LABEL - 8).append("\" y=\"").append(y + 17).append("\" text-anchor=\"end\" font-size=\"12\">")
                    .append(escape(r.name())).append("</text>");
            s.append("<rect x=\"").append(LABEL).append("\" y=\"").append(y + 5).append("\" width=\"").append(fmt(Math.max(w, 0.5)))
                    .append("\" height=\"").append(ROW - 10).append("\" fill=\"").append(r.thresholdMet() ? "#2b5797" : "url(#hatch)")
                    .append("\" stroke=\"#222\"/>");
            s.append("<text x=\"").append(fmt(LABEL + w + 6)).append("\" y=\"").append(y + 17).append("\" font-size=\"12\">")
                    .append(escape(r.percent())).append(" · ").append(r.denominatorCount() == 0 ? "no denominator" : r.thresholdMet() ? "met ✓" : "not met ✗")
                    .append("</text>");
            y += ROW;
        }
        if (line > 0) {
            double x = LABEL + PLOT * line / max;
            s.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(top - 8).append("\" x2=\"").append(fmt(x)).append("\" y2=\"").append(bottom)
                    .append("\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>");
            s.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(top - 12).append("\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">threshold: ")
                    .append(escape(threshold.label())).append("</text>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private static double percent(EpMeasureReport r) {
        BigDecimal score = r.score();
        return score == null ? 0 : score.doubleValue() * 100;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
