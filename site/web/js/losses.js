// losses.js: lost messages, grouped for the Events panel. A partition or
// a crashed server loses a message on every heartbeat; one line each
// would bury what matters. Consecutive lost records (nothing else
// happened between them) become one run, shown as one line that says
// how many were lost and why (cut S1↔S3, S4 crashed...), and that opens
// to show them. This module touches nothing of the page, so node's
// tests import it (losses.test.mjs); narration.js draws the runs.

// lossOf reads a lost record: its loss kind (the bridge's "what": cut,
// random, receiver-down, drop-next, by-hand, sender-crashed) and the
// names of its sender and receiver; null for any other record.
export function lossOf(rec) {
  if (!rec || rec.kind !== 'lost') return null;
  const a = (rec.say && rec.say.args) || {};
  const name = x => (typeof x === 'string' && /^S[1-9]$/.test(x) ? x : '');
  return { what: typeof rec.what === 'string' ? rec.what : '', from: name(a.from), to: name(a.to) };
}

// reasonOf says why a loss happened, as what a run's line lists: a cut
// between two servers (named in order, either way round), a crashed
// server (the receiver, or the sender that crashed before sending), the
// unreliable network, or the learner's own drop.
export function reasonOf(loss) {
  switch (loss.what) {
    case 'cut': {
      const [a, b] = [loss.from, loss.to].sort();
      return { kind: 'cut', who: a && b ? a + '↔' + b : '' };
    }
    case 'receiver-down':
      return { kind: 'crashed', who: loss.to };
    case 'sender-crashed':
      return { kind: 'crashed', who: loss.from };
    case 'random':
      return { kind: 'random', who: '' };
    case 'drop-next':
    case 'by-hand':
      return { kind: 'dropped', who: '' };
  }
  return { kind: 'other', who: '' };
}

// LossRun is a run of consecutive lost records. It counts them all and
// keeps the newest `keep` of them (to be listed when it is opened).
export class LossRun {
  constructor(keep) {
    this.keep = keep;
    this.count = 0;
    this.recs = [];
    this.first = 0; // the time of the first loss
    this.last = 0; // and of the last
    this.why = new Map(); // reason kind -> the servers or pairs named, in order
  }

  add(rec) {
    if (!this.count) this.first = rec.time;
    this.last = rec.time;
    this.count++;
    this.recs.push(rec);
    // Dropped in batches, so that a long run stays cheap to add to.
    if (this.recs.length >= 2 * this.keep) this.recs.splice(0, this.recs.length - this.keep);
    const r = reasonOf(lossOf(rec));
    let who = this.why.get(r.kind);
    if (!who) this.why.set(r.kind, (who = []));
    if (r.who && !who.includes(r.who)) who.push(r.who);
  }

  // kept is the newest records kept, oldest first (at most keep).
  kept() {
    return this.recs.length > this.keep ? this.recs.slice(-this.keep) : this.recs;
  }

  // reasons lists why the run's messages were lost: [{kind, who: [...]}],
  // in the order the reasons first came up.
  reasons() {
    return [...this.why].map(([kind, who]) => ({ kind, who }));
  }
}

// Grouper turns the records of the trace, as they come, into the lines
// of the panel: a record that is not a loss is a line of its own; a loss
// joins the run that the losses just before it started, or starts one.
export class Grouper {
  constructor(keep) {
    this.keep = keep;
    this.open = null; // the run that the next loss joins
  }

  reset() {
    this.open = null;
  }

  // push takes the next record: {rec} for a line of its own, or {run,
  // fresh} for a loss (fresh: it starts the run).
  push(rec) {
    if (!rec || rec.kind !== 'lost') {
      this.open = null;
      return { rec };
    }
    const fresh = !this.open;
    if (fresh) this.open = new LossRun(this.keep);
    this.open.add(rec);
    return { run: this.open, fresh };
  }
}
