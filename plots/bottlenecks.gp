# Bottlenecks: for each stage and training node (one row each), the people
# waiting and the people inside over time (median, and 80% of replications
# shaded), and beside it the utilisation of each of its sites or training
# centres (median; with the 80% band when there are one or two). The stage
# whose queue grows holds people back. Drawn by `ddrsim plot --kind
# bottlenecks`, which replaces the @NAMES@ below; keep the script
# (--keep-script) to restyle it, then redraw with `gnuplot FILE.gp`.
# Data: per node, a block of date, queue q10, q50, q90, inside q10, q50, q90;
# then, when it has sites or centres, a block of date and q10, q50, q90 of
# each one's utilisation (percent); each block's header names its columns.
# Text from the result file is in single quotes: gnuplot expands nothing there.
@TERMINAL@
if (!exists("outfile")) outfile = @OUTPUT@
set output outfile
set encoding utf8
font_title = sprintf(",%g", 1.25 * fs)
font_panel = sprintf(",%g", 0.95 * fs)
font_small = sprintf(",%g", 0.75 * fs)
# waiting in vermillion (dashed), inside in blue: Okabe-Ito, apart in greyscale;
# their 80% bands are the same colours, light and see-through
queue_colour = "#D55E00"; inside_colour = "#0072B2"
data = @DATA@
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%d"
set grid lc rgb "#e0e0e0"
set border 3
set tics nomirror
set style textbox opaque noborder margins 0.5,0.1
set multiplot title @TITLE@ font font_title
@PANELS@
unset multiplot
