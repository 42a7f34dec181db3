# Several runs on one chart: the median of a metric in each run and the band
# holding 80% of its replications, with the targets of the first run and the
# probability of meeting one of them in each run. Drawn by `ddrsim plot
# --kind compare`, which replaces the @NAMES@ below; keep the script
# (--keep-script) to restyle it, then redraw with `gnuplot FILE.gp`.
# Data: one block per run (index 0, 1, ...), columns date, q10, q50, q90.
# Runs are told apart by colour (Okabe-Ito, safe for colour-blind readers)
# and by dash pattern (in greyscale).
# Text from the result files is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_small = sprintf(",%g", 0.8 * fs)
target_colour = "#b2182b"
data = @DATA@
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%d"
@AXES@
set title @TITLE@ font font_title
set ylabel @YLABEL@
set grid lc rgb "#e0e0e0"
set key at graph 0.01, graph 0.985 left top vertical reverse Left samplen 2.5 opaque
set tmargin 3
set border 3
set tics nomirror
set rmargin 3
set style textbox opaque noborder margins 0.5,0.1
@MARKS@
plot @PLOTS@
