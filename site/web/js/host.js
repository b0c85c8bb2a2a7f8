// host.js: what a widget shares with its views. It touches nothing of
// the page, so node's tests import it (host.test.mjs).

// Selection is what the learner has selected in the cluster's picture:
// the server whose menu is open and the message whose panel is open (0:
// none). The widget owns one; views read it (now) and change it only
// through the widget's select.
export class Selection {
  constructor() {
    this.now = Object.freeze({ server: 0, msg: 0 });
  }

  // set selects id (0: nothing) of a kind, 'server' or 'msg'; it reports
  // whether the selection changed.
  set(kind, id) {
    if (!(kind in this.now)) throw new Error('raftplay: no selection of ' + kind);
    if (this.now[kind] === id) return false;
    this.now = Object.freeze({ ...this.now, [kind]: id });
    return true;
  }
}
