// host.js: what a widget shares with its views. A view (the cluster
// picture, the logs, the player's bar, the panels...) is given its
// widget's host when it is made, and talks to the widget only through it:
// it never holds the widget, reads another view, or writes a field of
// either. This module touches nothing of the page, so node's tests import
// it (host.test.mjs).

/**
 * Host: the one interface between a widget and its views, made by
 * makeHost(widget). It is frozen; what it reads are getters, which cannot
 * be assigned.
 *
 * @typedef {object} Host
 * @property {object|null} snap      the snapshot drawn last (null before the first)
 * @property {number} time           the cluster's virtual time, in ms
 * @property {boolean} playing       whether the player is playing
 * @property {boolean} setup         whether an exercise's setup is still running (moves wait)
 * @property {''|'pause'|'question'} waiting  what the script waits for: Continue at a pause, an answer to a question, or nothing
 * @property {object|null} info      the simulator's answer to create: servers, exercise, commands
 * @property {boolean} technical     whether a failed script is shown as it is (the playground's editor) or in plain words
 * @property {string} name           the scenario's name (for the simulator's messages)
 * @property {string} uid            the widget's own prefix for element ids
 * @property {{server: number, msg: number}} selection  the server and the message selected (0: none); frozen
 * @property {import('./motion.js').Motion} motion  the widget's animations in virtual time: views set and drop theirs; the widget keeps them at its time
 * @property {boolean} away          whether the widget shows a schedule the explorer found instead of its own scenario
 *
 * @property {() => void} invalidate                    draw the widget again in the next frame (from event handlers; never while drawing)
 * @property {(kind: 'server'|'msg', id: number) => void} select  select a server or a message (0: none); drawn in the next frame
 * @property {(id: number, anchor: Element) => void} serverClicked  the learner clicked a server: its menu, or the partition tool's side
 * @property {(id: number, ev: MouseEvent) => void} msgClicked      the learner clicked a message in flight: its panel
 * @property {(el: HTMLElement, x: number, y: number, above?: number) => void} placeAt  put a popover in the stage under (or over, at above) a point of the page
 *
 * @property {() => void} play              play (at a script's pause: Continue)
 * @property {() => void} pause             pause
 * @property {() => void} resume            play on, past what the script waited for
 * @property {() => void} toggle            play or pause (the play button)
 * @property {() => void} continueOrToggle  Continue at a script's pause, else toggle (the space key)
 * @property {() => void} stepOnce          pause, and run the next event
 * @property {(tm: number) => void} seek      go to virtual time tm
 * @property {(tm: number) => void} seekSoon  go to tm in the next frame (a drag)
 * @property {(d: number) => void} scrub      pause, and go d ms back or on
 * @property {(x: number) => void} setSpeed   play at x times real time
 * @property {() => void} restart           run the scenario again from its start
 * @property {(text: string) => void} run   run a scenario of the learner's own (its errors shown as they are)
 * @property {() => string} record          the run so far as scenario text ('' when there is none)
 * @property {(text: string) => void} playFound  load and play a schedule the explorer found, in place of the widget's scenario
 * @property {() => void} backHome          go back to the widget's own scenario
 *
 * @property {(cmd: string, errEl?: HTMLElement) => boolean} act  take a learner's action; a refusal shows in errEl (or a toast); reports success
 * @property {(word: string) => boolean} allowed  whether the learner may take an action now
 * @property {() => string} whyNot                why an action's control is disabled
 * @property {(r: object) => string} refusal      an action the simulator refused, in the page's words
 * @property {(msg: string, ms?: number) => void} toast  a short notice over the cluster
 *
 * @property {() => object} solve     play the exercise's reference solution; the simulator's answer (error: refused)
 * @property {() => object} goal      the simulator's word on the exercise's goal
 * @property {(detail: object|null) => void} solved    mark the widget solved and, given detail, tell the page (raft-solved)
 * @property {(detail: object) => void} answered       tell the page a question was answered (raft-answered)
 * @property {() => boolean} hasFocus                  whether the focus is inside the widget
 *
 * @property {() => Promise<void>} share   put a link to the run in the address and the clipboard
 * @property {() => Promise<void>} copy    copy the run as scenario text
 * @property {(on?: boolean) => void} toggleHelp  show or hide the keyboard help
 * @property {() => boolean} escape         close what is open (help, menu, panel, partition draft); reports whether anything was
 */

// METHODS are the host's functions: each calls the widget's method of
// the same name.
const METHODS = ['invalidate', 'select', 'serverClicked', 'msgClicked', 'placeAt',
  'play', 'pause', 'resume', 'toggle', 'continueOrToggle', 'stepOnce', 'seek', 'seekSoon', 'scrub', 'setSpeed', 'restart', 'run',
  'record', 'playFound', 'backHome',
  'act', 'allowed', 'whyNot', 'refusal', 'toast',
  'solve', 'goal', 'solved', 'answered', 'hasFocus',
  'share', 'copy', 'toggleHelp', 'escape'];

/**
 * makeHost makes the host of widget w (see Host above).
 * @returns {Host}
 */
export function makeHost(w) {
  const host = {
    get snap() { return w.snap; },
    get time() { return w.t; },
    get playing() { return w.playing; },
    get setup() { return w.setup; },
    get waiting() { return w.script.blocked(); },
    get info() { return w.info || null; },
    get technical() { return w.technical; },
    get name() { return w.name; },
    get uid() { return w.uid; },
    get selection() { return w.selection.now; },
    get motion() { return w.motion; },
    get away() { return w.home != null; },
  };
  for (const k of METHODS) host[k] = (...args) => w[k](...args);
  return Object.freeze(host);
}

// Selection is what the learner has selected in the cluster's picture:
// the server whose menu is open and the message whose panel is open (0:
// none). The widget owns one; views read it (host.selection) and change
// it only through host.select.
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
