package com.revshare.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained SVG line chart (no script, no CDN): series over a shared x axis, with labelled vertical markers. */
final class SvgChart {
    /** A labelled vertical line at {@code x} (e.g. the start of a phase). */
    record Marker(double x, String label) {
    }

    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f"};
    private static final int WIDTH = 960;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private SvgChart() {
    }

    static String lineChart(String title, String yLabel, double[] xs, Map<String, double[]> series, List<Marker> markers) {
        double xMax = xs.length == 0 ? 1 : Math.max(1e-9, xs[xs.length - 1]);
        double xMin = xs.length == 0 ? 0 : xs[0];
        double yMax = 0;
        for (double[] ys : series.values()) {
            for (double y : ys) {
                if (Double.isFinite(y)) {
                    yMax = Math.max(yMax, y);
                }
            }
        }
        yMax = niceCeiling(yMax);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, LEFT + plotW, y, LEFT - 4, y + 4, format(v)));
        }
        for (int i = 0; i <= 5; i++) {
            double v = xMin + (xMax - xMin) * i / 5;
            double x = LEFT + plotW * i / 5.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s s</text>%n",
                    x, TOP + plotH + 15, format(v)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        int k = 0;
        for (Marker m : markers) {
            int labelY = TOP + 12 + 12 * (k++ % 3); // staggered, so close markers stay readable
            double x = LEFT + plotW * (m.x() - xMin) / Math.max(1e-9, xMax - xMin);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" fill=\"#666\">%s</text>%n",
                    x, TOP, x, TOP + plotH, x + 3, labelY, escape(m.label())));
        }
        int c = 0;
        for (var s : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder points = new StringBuilder();
            double[] ys = s.getValue();
            for (int i = 0; i < Math.min(xs.length, ys.length); i++) {
                if (!Double.isFinite(ys[i])) {
                    continue;
                }
                double x = LEFT + plotW * (xs[i] - xMin) / Math.max(1e-9, xMax - xMin);
                double y = TOP + plotH - plotH * (yMax == 0 ? 0 : ys[i] / yMax);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", color, points.toString().trim()));
            int ly = TOP + 12 + 16 * c;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
                    LEFT + plotW + 10, ly - 4, LEFT + plotW + 30, ly - 4, color, LEFT + plotW + 35, ly, escape(s.getKey())));
            c++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String format(double v) {
        if (Math.abs(v) >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1_000);
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
