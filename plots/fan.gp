# Fan chart of one metric over calendar dates: median, bands of 50, 80 and 95%
# of replications, mandate targets and deadlines. Drawn by `ddrsim plot`,
# which replaces the @NAMES@ below; keep the script (--keep-script) to restyle.
# Data columns: date, q2.5, q5, q10, q25, q50, q75, q80, q90, q95, q97.5, mean.
# Text from the result file is in single quotes: gnuplot expands nothing there.
@TERMINAL@
set output '@OUTPUT@'
set encoding utf8
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%d"
set format x "%b\n%Y"
set xrange ['@XMIN@':'@XMAX@']
set yrange [0:*]
set format y "%.0f"
set title '@TITLE@' noenhanced font ",15"
set ylabel '@YLABEL@' noenhanced
set grid lc rgb "#dddddd"
set key left top reverse Left box lc rgb "#bbbbbb" opaque
set border 3
set tics nomirror
set bmargin 6
set label 1 '@CAPTION@' noenhanced at screen 0.01, screen 0.02 font ",9" tc rgb "#555555"
@TARGETS@
plot '@DATA@' using 1:2:11 with filledcurves lc rgb "#c6dbef" title "95% of replications", \
     '' using 1:4:9 with filledcurves lc rgb "#6baed6" title "80%", \
     '' using 1:5:7 with filledcurves lc rgb "#2171b5" title "50%", \
     '' using 1:6 with lines lw 2.5 lc rgb "#08306b" title "median"@TARGET_LINES@
