# When is a target reached: the share of replications that have reached it
# by each date (a replication that never reaches it within the horizon counts
# as not reached), with P50 and P80 marked, the deadline and the probability
# of meeting the target by then. Drawn by `ddrsim plot --kind dates`, which
# replaces the @NAMES@ below; keep the script (--keep-script) to restyle it,
# then redraw with `gnuplot FILE.gp`.
# Data columns: date (last day of a step), replications that have reached the
# target by then, their share.
# Text from the result file is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_small = sprintf(",%g", 0.8 * fs)
curve_colour = "#08306b"; fill_colour = "#c6dbef"; quantile_colour = "#2171b5"
target_colour = "#b2182b"
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%d"
@AXES@
set title @TITLE@ . "\n" . @SUBTITLE@ font font_title
set ylabel @YLABEL@
set grid lc rgb "#e0e0e0"
unset key
set border 3
set tics nomirror
set bmargin 5
set rmargin 3
set style textbox opaque noborder margins 0.5,0.1
set style fill solid 1.0 noborder
set label 1 @CAPTION@ at screen 0.01, screen 0.02 font font_small tc rgb "#555555"
@MARKS@
plot @DATA@ using 1:3 with fillsteps lc rgb fill_colour, \
     '' using 1:3 with steps lw 2.5 lc rgb curve_colour
