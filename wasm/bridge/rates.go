package bridge

// Rates counts, for the timeline's readout, what happened over the last
// window ms of virtual time up to the present moment, or over the run so
// far while it is shorter: the leaders elected and the client requests
// answered (the elections and commits per minute of the outage replay,
// for a window of a minute). It also says what the page needs to decide
// whether the readout means anything: every leader elected so far, and
// the client workload's interval (0: off) and requests sent. It costs two
// binary searches, whatever the run's length, so the page may ask a few
// times a second.
func (b *Bridge) Rates(id int, window float64) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	ms, err := checkTime("the window", window)
	if err != nil || ms == 0 {
		return errorJSON("the window must be a whole number of milliseconds between 1 and 1073741824")
	}
	c := s.r.Cluster
	now := c.Now()
	e, a := c.Window(now - ms)
	cl := c.Client()
	return object(func(w *jsonw) {
		w.kint("time", now)
		w.kint("span", min(ms, now))
		w.kint("elections", e)
		w.kint("answered", a)
		w.kint("electionsAll", len(c.Elections()))
		w.kint("client", cl.Every)
		w.kint("sent", cl.Sent)
	})
}
