package bridge

// Rates counts, for the timeline's readout, what happened over the last
// window ms of virtual time up to the present moment, or over the run so
// far while it is shorter: the leaders elected and the client requests
// answered (the elections and commits per minute of the outage replay,
// for a window of a minute), and whether the run has a client workload
// (on, or having sent a request): what the page needs to decide whether
// the readout means anything.
// It costs what it counts (see sim.Cluster.Window), so the page may ask a
// few times a second.
func (b *Bridge) Rates(id int, window float64) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	ms, err := checkTime("the window", window)
	if err != nil {
		return errorJSON(err.Error())
	}
	c := s.r.Cluster
	e, a := c.Window(c.Now() - ms)
	cl := c.Client()
	var w jsonw
	w.obj()
	w.kint("span", min(ms, c.Now()))
	w.kint("elections", e)
	w.kint("answered", a)
	w.kbool("client", cl.Every > 0 || cl.Sent > 0)
	w.endObj()
	return w.String()
}
