package floorcast.load.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with java.awt (headless) into a PNG: titled axes, a linear x axis from 0, a linear or
 * logarithmic y axis, one polyline with point markers per series, a legend beside the plot and up to a few lines
 * of notes under the title.
 */
final class LineChart {
  /** One series: points are (x, y); dashed lines for the p50 series, solid for p99 and the like. */
  record Series(String name, Color color, boolean dashed, List<double[]> points) {}

  private static final int WIDTH = 1200, HEIGHT = 700, LEFT = 90, TOP = 124, PLOT_W = 760, PLOT_H = 480;

  private final String title, xLabel, yLabel;
  private final boolean logY;
  private final List<String> notes = new ArrayList<>();
  private final List<Series> series = new ArrayList<>();

  LineChart(String title, String xLabel, String yLabel, boolean logY) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logY = logY;
  }

  LineChart note(String line) {
    notes.add(line);
    return this;
  }

  LineChart add(Series s) {
    if (!s.points().isEmpty()) {
      List<double[]> sorted = new ArrayList<>(s.points());
      sorted.sort(Comparator.comparingDouble(p -> p[0]));
      series.add(new Series(s.name(), s.color(), s.dashed(), sorted));
    }
    return this;
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  void write(Path png) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      draw(g);
    } finally {
      g.dispose();
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private void draw(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(title, LEFT, 32);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < notes.size(); i++) g.drawString(notes.get(i), LEFT, 54 + 16 * i);

    double maxX = 0, minY = Double.MAX_VALUE, maxY = 0;
    for (Series s : series) {
      for (double[] p : s.points()) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
        if (p[1] > 0) minY = Math.min(minY, p[1]);
      }
    }
    double xStep = niceStep(maxX <= 0 ? 1 : maxX / 5);
    double xMax = Math.ceil((maxX <= 0 ? 1 : maxX) / xStep) * xStep;
    double yLo, yHi;
    if (logY) {
      yLo = Math.pow(10, Math.floor(Math.log10(minY == Double.MAX_VALUE ? 1 : minY)));
      yHi = Math.pow(10, Math.ceil(Math.log10(Math.max(maxY, yLo * 10))));
    } else {
      yLo = 0;
      double step = niceStep(maxY <= 0 ? 1 : maxY / 5);
      yHi = Math.ceil((maxY <= 0 ? 1 : maxY) * 1.05 / step) * step;
    }
    Axis y = new Axis(yLo, yHi, logY);

    // grid and ticks
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    Stroke grid = new BasicStroke(1f);
    for (double x = 0; x <= xMax + xStep / 2; x += xStep) {
      int px = xPixel(x, xMax);
      g.setColor(new Color(230, 230, 230));
      g.setStroke(grid);
      g.drawLine(px, TOP, px, TOP + PLOT_H);
      g.setColor(Color.BLACK);
      String label = String.format("%,.0f", x);
      g.drawString(label, px - fm.stringWidth(label) / 2, TOP + PLOT_H + 18);
    }
    for (double v : y.ticks()) {
      int py = y.pixel(v);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(LEFT, py, LEFT + PLOT_W, py);
      g.setColor(Color.BLACK);
      String label = v >= 10 || v == 0 ? String.format("%,.0f", v) : String.format("%.1f", v);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, PLOT_W, PLOT_H);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    fm = g.getFontMetrics();
    g.drawString(xLabel, LEFT + (PLOT_W - fm.stringWidth(xLabel)) / 2, TOP + PLOT_H + 44);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(TOP + (PLOT_H + fm.stringWidth(yLabel)) / 2), 24);
    g.setTransform(saved);

    // series
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(s.dashed()
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 6f}, 0f)
          : new BasicStroke(2.5f));
      Path2D.Double path = new Path2D.Double();
      boolean first = true;
      for (double[] p : s.points()) {
        double px = xPixel(p[0], xMax), py = y.pixel(Math.max(p[1], yLo));
        if (first) path.moveTo(px, py);
        else path.lineTo(px, py);
        first = false;
      }
      g.draw(path);
      g.setStroke(new BasicStroke(1.5f));
      for (double[] p : s.points()) {
        int px = xPixel(p[0], xMax), py = y.pixel(Math.max(p[1], yLo));
        if (s.dashed()) g.drawOval(px - 4, py - 4, 8, 8);
        else g.fillOval(px - 4, py - 4, 8, 8);
      }
    }

    // legend
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int lx = LEFT + PLOT_W + 24, ly = TOP + 10;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(s.dashed()
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 6f}, 0f)
          : new BasicStroke(2.5f));
      g.drawLine(lx, ly, lx + 36, ly);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), lx + 44, ly + 5);
      ly += 24;
    }
  }

  private static int xPixel(double x, double xMax) {
    return LEFT + (int) Math.round(x / xMax * PLOT_W);
  }

  /** 1, 2 or 5 × a power of ten, at least raw. */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  private record Axis(double lo, double hi, boolean log) {
    int pixel(double v) {
      double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
      return TOP + PLOT_H - (int) Math.round(f * PLOT_H);
    }

    List<Double> ticks() {
      List<Double> t = new ArrayList<>();
      if (log) {
        for (double decade = lo; decade < hi * 1.001; decade *= 10) {
          for (double m : new double[] {1, 2, 5}) if (decade * m <= hi * 1.001) t.add(decade * m);
        }
      } else {
        double step = niceStep((hi - lo) / 5);
        for (double v = lo; v <= hi + step / 2; v += step) t.add(v);
      }
      return t;
    }
  }
}
