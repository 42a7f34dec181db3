# Paired difference of a metric between runs, replication by replication:
# each run minus the first. Runs of the same seed share their random numbers,
# so the difference shows what the change did. Median, and the bands holding
# 80% and 95% of replications' differences. Drawn by `ddrsim plot --kind
# difference`, which replaces the @NAMES@ below; keep the script
# (--keep-script) to restyle it, then redraw with `gnuplot FILE.gp`.
# Data: one block per pair (index 0, 1, ...), columns date, q2.5, q10, q50,
# q90, q97.5, mean of the differences.
# Text from the result files is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_small = sprintf(",%g", 0.8 * fs)
band95 = "#c6dbef"; band80 = "#6baed6"; median_colour = "#08306b"
key95 = @KEY95@; key80 = @KEY80@; key_median = @KEYMEDIAN@
data = @DATA@
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%d"
set multiplot title @TITLE@ font font_title
@AXES@
set ylabel @YLABEL@
set grid lc rgb "#e0e0e0"
set key at graph 0, graph 1.01 left bottom horizontal reverse Left samplen 1.5 width -3 maxrows 1
set border 3
set tics nomirror
set lmargin 12
set rmargin 3
set style textbox opaque noborder margins 0.5,0.1
@MARKS@
@PANELS@
unset multiplot
