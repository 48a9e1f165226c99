"""Charts drawn by gnuplot (Debian's gnuplot-nox, installed by bench/install-deps): the bench writes the numbers
and a script, gnuplot draws the SVG. Without gnuplot the report says so instead of failing."""

import shutil
import subprocess


class Panel:
    """One chart: an axis pair and its lines, each a title, (x, y) points, and a colour and dash number (gnuplot's
    line types), so that lines of one kind (a path) share a colour and lines of another (a protocol) a dash."""

    def __init__(self, title, ylabel, log_y=False):
        self.title = title
        self.ylabel = ylabel
        self.log_y = log_y
        self.lines = []  # (title, [(x, y), ...], colour, dash)

    def line(self, title, points, colour, dash=1):
        points = [(x, y) for x, y in points if y is not None]
        if points:
            self.lines.append((title, points, colour, dash))


def _quoted(text):
    """A gnuplot double-quoted string (the terminal is noenhanced, so only quotes and backslashes matter)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def script(path, title, xlabel, xticks, panels):
    """The gnuplot commands for `panels` side by side in one SVG, x on a log2 axis with a tick at each of `xticks`.
    The data travel inside the script as named data blocks, so there is no file to clean up. One key, below the
    panels, serves them all: the first panel's lines are every panel's lines."""
    lines = [f"set terminal svg size {520 * len(panels)},540 dynamic noenhanced font 'sans,11' background '#ffffff'",
             f"set output {_quoted(path)}"]
    for p, panel in enumerate(panels):
        for l, (_, points, _, _) in enumerate(panel.lines):
            lines.append(f"$p{p}l{l} << EOD")
            lines += [f"{x} {y}" for x, y in points]
            lines.append("EOD")
    lines += [f"set multiplot layout 1,{len(panels)} title {_quoted(title)}",
              "set logscale x 2", "set xtics (" + ", ".join(f'"{x}" {x}' for x in xticks) + ")",
              f"set xrange [{min(xticks) / 1.5}:{max(xticks) * 1.5}]", f"set xlabel {_quoted(xlabel)}",
              "set grid", "set style data linespoints", "set tmargin at screen 0.88", "set bmargin at screen 0.30"]
    for p, panel in enumerate(panels):
        lines += ["set key at screen 0.5, screen 0.02 center bottom vertical maxrows 3 box" if p == 0
                  else "unset key",f"set title {_quoted(panel.title)}", f"set ylabel {_quoted(panel.ylabel)}",
                  "set logscale y 10" if panel.log_y else "unset logscale y",
                  "set yrange [*:*]" if panel.log_y else "set yrange [0:*]"]
        lines.append("plot " + ", ".join(
            f"$p{p}l{l} using 1:2 title {_quoted(name)} linecolor {colour} pointtype {colour} dashtype {dash} "
            "linewidth 2 pointsize 1" for l, (name, _, colour, dash) in enumerate(panel.lines)))
    lines.append("unset multiplot")
    return "\n".join(lines) + "\n"


def draw(path, title, xlabel, xticks, panels):
    """Draws the panels into `path`. Returns None when drawn, otherwise why not (for the report)."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return "gnuplot is not installed (bench/install-deps installs gnuplot-nox)"
    if not any(panel.lines for panel in panels):
        return "no data to plot"
    try:
        result = subprocess.run([gnuplot], input=script(path, title, xlabel, xticks, panels), capture_output=True,
                                text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return f"gnuplot failed: {error}"
    if result.returncode != 0:
        return f"gnuplot failed ({result.returncode}): {result.stderr.strip()[-500:]}"
    return None
