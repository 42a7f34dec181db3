# Fan chart of one metric over calendar dates: median, bands holding 50, 80
# and 95% of replications, mandate targets and deadlines, and the probability
# of meeting each target. Drawn by `ddrsim plot --kind fan`, which replaces
# the @NAMES@ below; keep the script (--keep-script) to restyle it, then
# redraw with `gnuplot FILE.gp`.
# Data columns: date, q2.5, q5, q10, q25, q50, q75, q80, q90, q95, q97.5, mean.
# Text from the result file is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_small = sprintf(",%g", 0.8 * fs)
# one hue, light to dark, readable in greyscale; targets in dark red
band95 = "#c6dbef"; band80 = "#6baed6"; band50 = "#2171b5"; median_colour = "#08306b"
target_colour = "#b2182b"
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%d"
@AXES@
set title @TITLE@ font font_title offset 0,0.8
set ylabel @YLABEL@
set grid lc rgb "#e0e0e0"
set key at graph 0, graph 1.01 left bottom horizontal reverse Left samplen 1.5 width -3 maxrows 1
set tmargin 5
set border 3
set tics nomirror
set bmargin 5
set rmargin 3
set style textbox opaque noborder margins 0.5,0.1
set label 1 @CAPTION@ at screen 0.01, screen 0.02 font font_small tc rgb "#555555"
@TARGETS@
plot @DATA@ using 1:2:11 with filledcurves lc rgb band95 title @KEY95@, \
     '' using 1:4:9 with filledcurves lc rgb band80 title @KEY80@, \
     '' using 1:5:7 with filledcurves lc rgb band50 title @KEY50@, \
     '' using 1:6 with lines lw 2.5 lc rgb median_colour title @KEYMEDIAN@
