# A target's probability across the points of a sweep (ddrsim sweep), with
# its 95% Wilson interval as error bars: against one key's values, one line
# per value of a second key, or the points in design order. Drawn by
# `ddrsim plot SWEEP.h5 --kind sweep`, which replaces the @NAMES@ below; keep
# the script (--keep-script) to restyle it, then redraw with `gnuplot FILE.gp`.
# Data: one block per line (gnuplot's index), columns: point, x, probability,
# Wilson low, Wilson high, the x value as written in the design.
# Text from the sweep file is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_small = sprintf(",%g", 0.8 * fs)
set datafile separator ","
set title @TITLE@ . "\n" . @SUBTITLE@ font font_title
set xlabel @XLABEL@
set ylabel @YLABEL@
set yrange [0:1.02]
set ytics 0.1
set grid lc rgb "#e0e0e0"
set border 3
set tics nomirror
set bmargin 6
set rmargin 3
set offsets graph 0.04, graph 0.04, 0, 0
set key outside right top title @KEYTITLE@
set label 1 @CAPTION@ at screen 0.01, screen 0.02 font font_small tc rgb "#555555"
@SERIES@
plot for [i=1:nseries] @DATA@ index (i - 1) using 2:3:4:5:xtic(6) with yerrorlines lw 2 pt 7 ps 1.2 \
     title series_title[i]
