# Redeployment timeline: for each region (one row each, the whole plan
# last), the date by which all its planned units have deployed: a bar from
# P10 to P90 of replications, P50 marked, against the plan date; on the
# right, the probability of being done by the plan date. Drawn by `ddrsim
# plot --kind redeployment`, which replaces the @NAMES@ below; keep the
# script (--keep-script) to restyle it, then redraw with `gnuplot FILE.gp`.
# Data columns: row, target, plan date, P10, P50, P90, bar end (P90, or the
# horizon's end when P90 lies beyond it), P(on time), its 95% interval;
# "never" is a date not reached within the horizon.
# Text from the result file is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_small = sprintf(",%g", 0.8 * fs)
bar_colour = "#9ecae1"; bar_edge = "#2171b5"; median_colour = "#08306b"
plan_colour = "#b2182b"
data = @DATA@
set datafile separator ","
set datafile missing "never"
set xdata time
set timefmt "%Y-%m-%d"
@AXES@
set title @TITLE@ font font_title offset 0,2.2
set grid x lc rgb "#e0e0e0"
set key at graph 0, graph 1.01 left bottom horizontal reverse Left samplen 1.5 width -3 maxrows 1
set tmargin 7
set bmargin 5
set rmargin at screen 0.72
set border 3
set tics nomirror
set ytics scale 0
set style textbox opaque noborder margins 0.5,0.1
set label 1 @CAPTION@ at screen 0.01, screen 0.02 font font_small tc rgb "#555555"
@MARKS@
plot data using (timecolumn(4)):1:(timecolumn(4)):(timecolumn(7)):($1-0.22):($1+0.22) \
        with boxxyerror fs solid 1.0 border lc rgb bar_edge lc rgb bar_colour title @KEYBAR@, \
     '' using (timecolumn(5)):1 with points pt 7 ps 2 lc rgb median_colour title @KEYP50@, \
     '' using (timecolumn(3)):($1-0.36):(0):(0.72) with vectors nohead lw 4 lc rgb plan_colour \
        title @KEYPLAN@
