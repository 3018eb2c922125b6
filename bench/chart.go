package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// chart draws the results as an SVG by hand (no external tools): latency
// percentiles per route at the fixed rate and at maximum throughput, with
// the targets as lines, and requests per second over the whole run with the
// phases marked.
func chart(res *Result) string {
	const width, left, barH, gap = 860.0, 260.0, 9.0, 10.0
	var rows []Summary
	var labels []string
	for _, s := range res.Fixed.Routes {
		rows = append(rows, s)
		labels = append(labels, s.Route)
	}
	for _, s := range res.Max.Routes {
		rows = append(rows, s)
		labels = append(labels, s.Route+" at max")
	}
	scale := 100.0
	for _, s := range rows {
		scale = max(scale, s.P99)
	}
	scale = niceCeil(scale)
	plotW := width - left - 30
	x := func(ms float64) float64 { return left + plotW*min(ms, scale)/scale }
	top := 70.0
	panel1 := top + float64(len(rows))*(3*barH+gap) + 30
	tpTop, tpH := panel1+60, 180.0
	height := tpTop + tpH + 50

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="22" font-size="16" font-weight="bold">Hearth load benchmark — %s</text>`+"\n", esc(res.When.Format("2006-01-02")))
	fmt.Fprintf(&b, `<text x="10" y="40" fill="#444">%s · %s</text>`+"\n", esc(res.Seeded), esc(res.Machine))
	fmt.Fprintf(&b, `<text x="10" y="58" fill="#444">ready %.0f ms · idle RSS %.0f MB · peak RSS %.0f MB · load average %s · latency in ms (p50, p95, p99)</text>`+"\n", res.ReadyMillis, res.IdleRSSMB, res.PeakRSSMB, esc(strings.Join(res.LoadAverage, " → ")))
	colors := []string{"#9ecae1", "#4292c6", "#08306b"}
	for i, s := range rows {
		y := top + float64(i)*(3*barH+gap)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+2*barH, esc(labels[i]))
		for j, v := range []float64{s.P50, s.P95, s.P99} {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", left, y+float64(j)*barH, x(v)-left, barH-1, colors[j])
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10">%.1f</text>`+"\n", x(s.P99)+3, y+3*barH-1, s.P99)
	}
	for _, target := range []float64{50, 100} {
		if target < scale {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#c00" stroke-dasharray="4 3"/>`+"\n", x(target), top-6, x(target), panel1-24)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" fill="#c00" font-size="10" text-anchor="middle">%.0f ms target</text>`+"\n", x(target), panel1-12, target)
		}
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="10" text-anchor="end">%.0f ms</text>`+"\n", left+plotW, panel1-12, scale)

	// Throughput over time.
	fmt.Fprintf(&b, `<text x="10" y="%.0f" font-size="14" font-weight="bold">Requests per second over the run</text>`+"\n", tpTop-20)
	peak := 1.0
	for _, n := range res.Throughput {
		peak = max(peak, float64(n))
	}
	peak = niceCeil(peak)
	n := max(1, len(res.Throughput)-1)
	tx := func(s float64) float64 { return left + plotW*s/float64(n) }
	ty := func(v float64) float64 { return tpTop + tpH - tpH*v/peak }
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#888"/>`+"\n", left, tpTop+tpH, left+plotW, tpTop+tpH)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#888"/>`+"\n", left, tpTop, left, tpTop+tpH)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%.0f/s</text>`+"\n", left-8, tpTop+8, peak)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">0</text>`+"\n", left-8, tpTop+tpH)
	var pts []string
	for s, v := range res.Throughput {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", tx(float64(s)), ty(float64(v))))
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#08306b" stroke-width="1.5" points="%s"/>`+"\n", strings.Join(pts, " "))
	for _, m := range res.Phases {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#999" stroke-dasharray="2 3"/>`+"\n", tx(float64(m.At)), tpTop, tx(float64(m.At)), tpTop+tpH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="10">%s</text>`+"\n", tx(float64(m.At))+3, tpTop+12, esc(m.Name))
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end" fill="#444">seconds from the first sign-in (0 – %d)</text>`+"\n", left+plotW, tpTop+tpH+18, n)
	b.WriteString("</svg>\n")
	return b.String()
}

func esc(s string) string { return html.EscapeString(s) }

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
