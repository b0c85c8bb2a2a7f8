// cluster-view.js: the SVG picture of the cluster. Servers sit in a ring,
// their role shown by shape and colour (follower circle, candidate
// diamond, pre-candidate dashed diamond, leader thick ring with a crown,
// crashed grey with a cross), their term inside, the election timer
// draining as an arc, a candidate's votes as dots. Partitions tint the
// servers by side and cut links are dashed. Messages in flight move along
// the links, shaped by kind. Elements are made once and then only have
// their attributes changed. The legend under the picture is drawn here
// too, with the same shapes.
//
// Messages and election timers change every frame, so they are not drawn
// in the picture's SVG, where changing one lays out and paints the picture
// again: they are elements of their own in a layer over it, moved by
// animations of CSS transforms in the widget's virtual time (motion.js),
// which the compositor runs without the page's main thread. A message
// slides from its sender to its receiver between the times it was sent
// and is delivered; a timer's arc is two half rings, each turned behind a
// half-disc window, from the timer's start to its deadline. They are made
// when the simulator's state changes, not in every frame. The layer is
// sized in the SVG's units and scaled as the SVG is, so that it is drawn
// with the picture's own coordinates.

import { h, s, set, txt, sname } from './dom.js';
import { t } from './i18n.js';

const R = 24; // server radius, in SVG units

// Message shapes, pointing along +x (the direction of travel).
const TRI = 'M8 0L-6-7.5V7.5Z';
const SQ = 'M-5.5-5.5h11v11h-11z';
const DOT = 'M-4.5 0a4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0-9 0';
const SHAPE = {
  vote: TRI, prevote: TRI, 'vote-reply': TRI, 'prevote-reply': TRI, 'timeout-now': TRI,
  append: SQ, 'append-reply': SQ, heartbeat: DOT,
};
const TICK = 'M-2.6 0.2l1.8 2 3.4-4.2';
// A diamond and a cross of half-width r (a cross may be rx by ry).
const diamond = r => `M0 ${-r}L${r} 0L0 ${r}L${-r} 0Z`;
const cross = (rx, ry = rx) => `M${-rx} ${-ry}L${rx} ${ry}M${rx} ${-ry}L${-rx} ${ry}`;
// A crown standing on the line y, k times the size it has over a server.
const crown = (k, y) => `M${-10 * k} ${y}v${-10 * k}l${5 * k} ${5 * k} ${5 * k} ${-8 * k} ${5 * k} ${8 * k} ${5 * k} ${-5 * k}v${10 * k}z`;

// glyph makes the picture's shapes, at the size asked for: every one is
// defined here once, for the servers and messages and for the legend.
const glyph = {
  body: r => s('circle', { class: 'rw-body', r }),
  diamond: r => s('path', { class: 'rw-diamond', d: diamond(r) }),
  crown: (k, y) => s('path', { class: 'rw-crown', d: crown(k, y) }),
  cross: r => s('path', { class: 'rw-cross', d: cross(r) }),
  track: r => s('circle', { class: 'rw-track', r }),
  timer: (r, attrs) => s('circle', { class: 'rw-timer', r, pathLength: 100, transform: 'rotate(-90)', ...attrs }),
  msg: kind => s('path', { class: 'rw-mshape', d: SHAPE[kind] || DOT }),
  mark: ok => s('path', { class: ok ? 'rw-mark ok' : 'rw-mark no', d: ok ? TICK : cross(2.2) }),
};

// Timer is a server's election timer over the picture: the share of the
// timeout still to run, drawn as an arc clockwise from the top, as the
// legend's. The arc is two half rings: each is a ring coloured on one
// half, seen through a window on one half of the disc. From the timer's
// start to half-way the left one turns out of its window, then the right
// one does, so the arc shrinks back to the top by the deadline.
class Timer {
  constructor(motion, key) {
    this.motion = motion;
    this.key = key;
    this.right = h('div', { class: 'rw-tring' });
    this.left = h('div', { class: 'rw-tring' });
    this.el = h('div', { class: 'rw-ttimer', 'data-off': '' },
      h('div', { class: 'rw-thalf r' }, this.right), h('div', { class: 'rw-thalf l' }, this.left));
    this.span = '';
  }

  // run shows a timer that started at virtual time start and fires at end
  // (none: end <= start).
  run(start, end) {
    const span = end > start ? start + '-' + end : '';
    if (span === this.span) return;
    this.span = span;
    set(this.el, 'data-off', span ? null : '');
    set(this.el, 'data-low', null);
    if (!span) {
      this.motion.drop(this.key + 'r');
      this.motion.drop(this.key + 'l');
      return;
    }
    // Each half turns in its own half of the time: the other, before or
    // after its turn, holds still and costs the page nothing per frame.
    const turn = [{ transform: 'rotate(225deg)' }, { transform: 'rotate(45deg)' }];
    const mid = (start + end) / 2;
    this.motion.set(this.key + 'l', this.left, turn, start, mid);
    this.motion.set(this.key + 'r', this.right, turn, mid, end);
    this.low = start + 0.75 * (end - start);
  }

  // tick marks the last quarter of the timeout, in another colour.
  tick(vt) {
    if (this.span) set(this.el, 'data-low', vt >= this.low ? '' : null);
  }
}

export class ClusterView {
  constructor(host) {
    this.host = host;
    this.svg = s('svg', { class: 'rw-cluster', role: 'group', viewBox: '0 0 640 330' });
    this.gLinks = s('g', { class: 'rw-links' });
    this.gCuts = s('g', { class: 'rw-cuts' });
    this.gServers = s('g', { class: 'rw-servers' });
    // The client, in the empty corner over the ring: its latest request
    // and what became of it (§8), and a line to the server each request
    // still waiting went to.
    this.gReqs = s('g', { class: 'rw-reqs' });
    this.reqText = s('text', { class: 'rw-reqtext', x: 16, y: 4 });
    this.client = s('g', { class: 'rw-client', 'data-part': 'client', visibility: 'hidden' },
      s('path', { class: 'rw-clientglyph', d: 'M-9-7h18v11h-18zM-12 7h24' }), this.reqText, s('title'));
    this.svg.append(this.gLinks, this.gCuts, this.gReqs, this.gServers, this.client);
    this.gTimers = h('div', { class: 'rw-timers', 'aria-hidden': 'true' });
    this.gMsgs = h('div', { class: 'rw-msgs' });
    this.layer = h('div', { class: 'rw-layer' }, this.gTimers, this.gMsgs);
    this.el = h('div', { class: 'rw-picture' }, this.svg, h('div', { class: 'rw-moving' }, this.layer));
    // The SVG's size as the browser last laid it out (0 before that): read
    // from the observer, not from the element, so that drawing never
    // forces a layout (at the page's start, the page's first, which would
    // hold the main thread while the simulator compiles).
    this.box = [0, 0];
    new ResizeObserver(es => {
      const r = es[es.length - 1].contentRect;
      this.box = [r.width, r.height];
      this.fitLayer();
    }).observe(this.svg);
    this.servers = [];
    this.links = new Map();
    this.msgs = new Map();
    this.wide = true;
    this.n = 0;
    this.el.addEventListener('click', e => this.onClick(e));
    this.el.addEventListener('keydown', e => {
      const g = e.target.closest && e.target.closest('[data-server]');
      // Enter opens the server's menu; space is play/pause (keys.js).
      if (g && e.key === 'Enter' && !e.repeat) {
        e.preventDefault();
        e.stopPropagation();
        this.host.serverClicked(+g.dataset.id, g);
      }
    });
  }

  onClick(e) {
    const m = e.target.closest('[data-msg-id]');
    if (m) return this.host.msgClicked(+m.dataset.msgId, e);
    const g = e.target.closest('[data-server]');
    if (g) this.host.serverClicked(+g.dataset.id, g);
  }

  // setSize builds the servers and links of an n-server cluster.
  setSize(n) {
    this.n = n;
    for (const id of this.msgs.keys()) this.host.motion.drop('msg' + id);
    for (const v of this.servers) v.timer.run(0, 0);
    this.gServers.textContent = '';
    this.gLinks.textContent = '';
    this.gMsgs.textContent = '';
    this.gTimers.textContent = '';
    this.gCuts.textContent = '';
    this.links.clear();
    this.msgs.clear();
    this.servers = [];
    set(this.svg, 'aria-label', t('cluster', n));
    for (let i = 1; i <= n; i++) {
      const g = s('g', { class: 'rw-server', 'data-server': sname(i), 'data-id': i, 'data-role': 'follower', 'data-term': '0', 'data-state': 'up', tabindex: 0, role: 'button' });
      const votes = s('g', { class: 'rw-votes' });
      const timer = new Timer(this.host.motion, 'timer' + i);
      this.gTimers.append(timer.el);
      const term = s('text', { class: 'rw-term', y: 10 }, '0');
      const side = s('g', { class: 'rw-tag', transform: `translate(${R - 2} ${-R + 2})` },
        s('circle', { r: 9 }), s('text', { y: 4 }));
      g.append(
        s('circle', { class: 'rw-halo', r: R + 14 }),
        s('circle', { class: 'rw-focus', r: R + 10 }),
        glyph.track(R + 6),
        glyph.body(R),
        glyph.diamond(R + 3),
        glyph.crown(1, -R - 5),
        s('text', { class: 'rw-cap', y: -7 }, t('term')),
        term,
        glyph.cross(15),
        s('text', { class: 'rw-name', y: R + 19 }, sname(i)),
        votes, side,
        s('title'),
      );
      this.gServers.append(g);
      this.servers.push({ g, timer, term, votes, side, sideText: side.lastChild, title: g.lastChild, nv: -1 });
    }
    for (let i = 1; i <= n; i++) {
      for (let j = i + 1; j <= n; j++) {
        const l = s('line', { class: 'rw-link' });
        this.gLinks.append(l);
        this.links.set(i * 10 + j, l);
      }
    }
    this.layout();
  }

  // resize picks a wide (ellipse) or square (circle) layout for the width.
  resize(width) {
    const wide = width >= 520;
    if (wide !== this.wide) {
      this.wide = wide;
      this.layout();
    }
  }

  layout() {
    const n = this.n;
    const W = this.wide ? 720 : 400, H = this.wide ? 320 : 316;
    const RX = this.wide ? 260 : 158, RY = this.wide ? 112 : 110;
    set(this.svg, 'viewBox', `0 0 ${W} ${H}`);
    this.W = W;
    this.H = H;
    this.fitLayer();
    // The ring is fitted between ABOVE (over the topmost server's centre:
    // its crown or votes, and an empty band that the bars over the
    // picture may cover) and BELOW (under the lowest one: its name), and
    // centred in what is left.
    const ABOVE = 62, BELOW = 53;
    const start = n === 2 ? Math.PI : -Math.PI / 2;
    const angles = [];
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const a = start + (i * 2 * Math.PI) / n;
      angles.push(a);
      lo = Math.min(lo, Math.sin(a));
      hi = Math.max(hi, Math.sin(a));
    }
    const room = H - ABOVE - BELOW;
    const ry = hi > lo ? Math.min(RY, room / (hi - lo)) : RY;
    const cx = W / 2, cy = ABOVE + (room - ry * (hi - lo)) / 2 - ry * lo;
    this.pos = [null];
    for (let i = 0; i < n; i++) {
      const p = [cx + RX * Math.cos(angles[i]), cy + ry * Math.sin(angles[i])];
      this.pos.push(p);
      set(this.servers[i].g, 'transform', `translate(${p[0].toFixed(1)} ${p[1].toFixed(1)})`);
      set(this.servers[i].timer.el, 'style', `transform:translate(${p[0].toFixed(1)}px,${p[1].toFixed(1)}px)`);
    }
    for (const [k, l] of this.links) {
      const a = this.pos[Math.floor(k / 10)], b = this.pos[k % 10];
      set(l, 'x1', a[0]); set(l, 'y1', a[1]); set(l, 'x2', b[0]); set(l, 'y2', b[1]);
    }
    this.cutKey = '';
    // Messages set moving in another layout are set again.
    this.laid = (this.laid || 0) + 1;
    this.clientAt = [this.wide ? 30 : 24, 24];
    set(this.client, 'transform', `translate(${this.clientAt[0]} ${this.clientAt[1]})`);
    this.reqKey = '';
  }

  // fitLayer sizes the messages' layer in the SVG's units and scales it
  // as the SVG scales its view box (centred, the whole box shown).
  fitLayer() {
    const [w, hgt] = this.box;
    if (!w || !hgt || !this.W) return;
    const k = Math.min(w / this.W, hgt / this.H);
    const x = (w - this.W * k) / 2, y = (hgt - this.H * k) / 2;
    set(this.layer, 'style', `width:${this.W}px;height:${this.H}px;transform:translate(${x.toFixed(2)}px,${y.toFixed(2)}px) scale(${k.toFixed(4)})`);
  }

  // serverEl returns the element of server id (for menus).
  serverEl(id) {
    return this.servers[id - 1] && this.servers[id - 1].g;
  }

  // update draws snapshot sn at virtual time vt (what moves is set moving
  // here, and the widget keeps it at its time). sides: the partition
  // tool's draft (Map id -> 0|1) or null.
  update(sn, vt, sides) {
    const n = this.n;
    const net = sn.net;
    const parted = net.groups.some(x => x > 0);
    // Name the groups A, B, C... in the order they were given (the
    // partition tool gives its side A first), so that a draft's letters
    // stay when it is applied.
    const order = [];
    for (let i = 1; i <= n; i++) if (!net.isolated[i] && !order.includes(net.groups[i])) order.push(net.groups[i]);
    order.sort((a, b) => a - b);
    const majority = Math.floor(n / 2) + 1;
    for (let i = 0; i < n; i++) {
      const sv = sn.servers[i], v = this.servers[i], g = v.g;
      if (!sv) continue;
      const state = sv.up ? 'up' : 'crashed';
      set(g, 'data-role', sv.role);
      set(g, 'data-term', String(sv.term));
      set(g, 'data-state', state);
      txt(v.term, String(sv.term));
      const roleName = sv.up ? t(sv.role) : t('crashed');
      const label = t('serverLabel', sname(sv.id), roleName, sv.term);
      set(g, 'aria-label', label);
      txt(v.title, label + ' · ' + (sv.vote ? t('votedFor', sname(sv.vote)) : t('votedNone')) +
        ' · ' + t('commitIs', sv.commit) + ' · ' + t('lastIs', sv.last) +
        (sv.leader && sv.role !== 'leader' ? ' · ' + t('knowsLeader', sname(sv.leader)) : ''));
      // Election timer: from its start to its deadline.
      const timing = sv.up && sv.role !== 'leader' && sv.timerEnd > sv.timerStart;
      v.timer.run(timing ? sv.timerStart : 0, timing ? sv.timerEnd : 0);
      v.timer.tick(vt);
      // Votes of a candidate: filled dots for votes held, hollow for the rest of a majority.
      const cand = sv.up && (sv.role === 'candidate' || sv.role === 'precandidate');
      const nv = cand ? sv.votes.length : -1;
      if (nv !== v.nv) {
        v.nv = nv;
        v.votes.textContent = '';
        if (cand) {
          const k = Math.max(majority, nv);
          for (let j = 0; j < k; j++) {
            v.votes.append(s('circle', {
              class: j < nv ? 'rw-vote got' : 'rw-vote', r: 3.6,
              cx: (j - (k - 1) / 2) * 10, cy: -R - 12,
            }));
          }
          set(v.votes, 'aria-label', t('votesOf', nv, majority));
        }
      }
      // Side tags: the partition tool's draft, or the network's groups.
      let tag = '', cls = '';
      if (sides) {
        tag = sides.get(sv.id) ? 'B' : 'A';
        cls = 'g' + (sides.get(sv.id) ? 2 : 1);
      } else if (net.isolated[sv.id]) {
        tag = '⊘';
        cls = 'iso';
      } else if (parted) {
        const k = order.indexOf(net.groups[sv.id]);
        tag = String.fromCharCode(65 + k);
        cls = 'g' + (1 + (k % 4));
      }
      set(g, 'data-side', cls || null);
      txt(v.sideText, tag);
    }
    this.drawCuts(net, sides);
    this.drawMsgs(sn.msgs);
    this.drawClient(sn.requests || [], sn.time);
  }

  // drawCuts dashes the links that cross a partition, marks one-way cuts,
  // and writes a flaky link's loss rate at its sender's end.
  drawCuts(net, sides) {
    const loss = net.loss || [];
    const key = JSON.stringify([net.groups, net.isolated, net.down, loss, sides && [...sides]]);
    if (key === this.cutKey) return;
    this.cutKey = key;
    const side = i => (sides ? sides.get(i) : net.groups[i]);
    for (const [k, l] of this.links) {
      const a = Math.floor(k / 10), b = k % 10;
      const cut = !sides && (net.isolated[a] || net.isolated[b]) || side(a) !== side(b);
      set(l, 'class', cut ? 'rw-link cut' : 'rw-link');
    }
    this.gCuts.textContent = '';
    for (const [from, to] of net.down) {
      const a = this.pos[from], b = this.pos[to];
      if (!a || !b) continue;
      const dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy) || 1;
      const x = a[0] + (dx * (R + 22)) / len, y = a[1] + (dy * (R + 22)) / len;
      const ang = (Math.atan2(dy, dx) * 180) / Math.PI;
      this.gCuts.append(s('g', { class: 'rw-oneway', transform: `translate(${x.toFixed(1)} ${y.toFixed(1)}) rotate(${ang.toFixed(1)})` },
        s('title', null, `${sname(from)} → ${sname(to)} ✕`),
        s('path', { d: cross(6, 7) }),
      ));
    }
    for (const [from, to, rate] of loss) {
      const a = this.pos[from], b = this.pos[to];
      if (!a || !b) continue;
      const dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy) || 1;
      const pct = Math.round(rate * 100) + '%';
      this.gCuts.append(s('text', { class: 'rw-flaky', x: (a[0] + (dx * (R + 42)) / len).toFixed(1), y: (a[1] + (dy * (R + 42)) / len + 4).toFixed(1) },
        s('title', null, t('flakyTip', sname(from), sname(to), pct)), pct));
    }
  }

  // drawMsgs shows the messages in flight: a new one is made and set
  // moving, from the edge of its sender to the edge of its receiver, on
  // the right-hand side of the line so that requests and replies between
  // two servers do not overlap; a delivered or lost one is removed.
  drawMsgs(msgs) {
    const seen = new Set();
    for (const m of msgs) {
      const a = this.pos[m.from], b = this.pos[m.to];
      if (!a || !b) continue;
      seen.add(m.id);
      let e = this.msgs.get(m.id);
      if (!e) {
        e = this.makeMsg(m);
        this.msgs.set(m.id, e);
        this.gMsgs.append(e.g);
      }
      // Set moving anew in a new layout, or when its arrival changes (the
      // manual network going back to time-driven delivery).
      const way = this.laid + ':' + m.at + (m.waiting ? 'w' : '');
      if (e.way !== way) {
        e.way = way;
        const dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy) || 1;
        const ux = dx / len, uy = dy / len;
        const at = d => ({ transform: `translate(${(a[0] + ux * d - uy * 6).toFixed(1)}px,${(a[1] + uy * d + ux * 6).toFixed(1)}px)` });
        set(e.shape, 'transform', `rotate(${((Math.atan2(dy, dx) * 180) / Math.PI).toFixed(1)})`);
        // A message of the manual network waits, halfway, for the script
        // or the learner to deliver it: nothing arrives by itself there.
        const from = at(R + 8), to = at(m.waiting ? len / 2 : len - R - 8);
        const end = m.waiting ? (m.sent + m.at) / 2 : m.at;
        if (end > m.sent) this.host.motion.set('msg' + m.id, e.g, [from, to], m.sent, end);
        else e.g.style.transform = to.transform;
      }
      set(e.g, 'data-cut', m.cut ? '' : null);
      set(e.g, 'data-sel', m.id === this.host.selection.msg ? '' : null);
    }
    for (const [id, e] of this.msgs) {
      if (!seen.has(id)) {
        this.host.motion.drop('msg' + id);
        e.g.remove();
        this.msgs.delete(id);
      }
    }
  }

  // tick follows the time between the simulator's events (what moves is
  // animated; this marks the timers' last quarter).
  tick(vt) {
    for (const v of this.servers) v.timer.tick(vt);
  }

  // drawClient shows the client's latest request and its answer: waiting
  // for the leader to apply it, answered, redirected by a server that is
  // not the leader, or never to be answered (its leader crashed or lost
  // the entry); and a dotted line to the server of each request still
  // waiting. The title lists the latest requests.
  drawClient(reqs, now) {
    const key = reqs.map(q => q.seq + q.state + q.to).join();
    if (key === this.reqKey) return;
    this.reqKey = key;
    set(this.client, 'visibility', reqs.length ? null : 'hidden');
    this.gReqs.textContent = '';
    if (!reqs.length) return;
    const words = q => {
      const a = [q.cmd, sname(q.to)];
      switch (q.state) {
        case 'answered': return t('reqAnswered', ...a, q.index);
        case 'redirected': return q.redirect ? t('reqRedirected', ...a, sname(q.redirect)) : t('reqRedirectedNone', ...a);
        case 'unanswered': return t('reqUnanswered', ...a);
      }
      return t('reqWaiting', ...a);
    };
    const last = reqs[reqs.length - 1];
    txt(this.reqText, words(last));
    set(this.client, 'data-state', last.state);
    txt(this.client.lastChild, t('clientLabel') + ': ' + reqs.map(words).join('; '));
    const [cx, cy] = this.clientAt;
    for (const q of reqs) {
      const b = this.pos[q.to];
      if (q.state !== 'waiting' || !b) continue;
      const dx = b[0] - cx, dy = b[1] - cy, len = Math.hypot(dx, dy) || 1;
      const ex = b[0] - (dx * (R + 10)) / len, ey = b[1] - (dy * (R + 10)) / len;
      this.gReqs.append(s('line', { class: 'rw-reqline', x1: cx + (dx * 14) / len, y1: cy + (dy * 14) / len, x2: ex.toFixed(1), y2: ey.toFixed(1) }));
    }
  }

  // makeMsg makes a message's element: a box of the layer holding its
  // shape, centred on the point it is moved to.
  makeMsg(m) {
    const g = h('div', { class: 'rw-msg', 'data-msg-id': m.id, 'data-kind': m.kind, 'data-from': sname(m.from), 'data-to': sname(m.to) });
    const pic = s('svg', { viewBox: '-14 -14 28 28', 'aria-hidden': 'true', focusable: 'false' });
    const shape = glyph.msg(m.kind);
    pic.append(s('circle', { class: 'rw-hit', r: 11 }), shape);
    const reply = m.kind.endsWith('-reply');
    if (reply) {
      const ok = m.kind === 'append-reply' ? m.success : m.granted;
      pic.append(glyph.mark(ok));
    }
    if (m.kind === 'append' && m.entries > 1) {
      pic.append(s('text', { class: 'rw-mcount', y: -8 }, String(m.entries)));
    }
    g.append(pic);
    g.title = `${t(m.kind)} ${sname(m.from)} → ${sname(m.to)}`;
    return { g, shape };
  }
}

// legend explains the shapes, in the picture's own: roles and messages.
// cls places it (the widget has one in the stage and one below, for a
// narrow widget).
export function legend(cls) {
  const item = (svgKids, label) => h('li', null,
    s('svg', { viewBox: '-13 -13 26 26', class: 'rw-lgico', 'aria-hidden': 'true' }, ...svgKids), label);
  const role = (r, ...kids) => [s('g', { class: 'rw-lgsrv', 'data-r': r }, ...kids)];
  const msg = (kind, ok) => [s('g', { class: 'rw-msg', 'data-kind': kind }, glyph.msg(kind), ok ? glyph.mark(true) : null)];
  return h('ul', { class: 'rw-legend ' + cls, 'aria-label': t('legend') },
    item(role('follower', glyph.body(8)), t('follower')),
    item(role('candidate', glyph.diamond(10)), t('candidate')),
    item(role('precandidate', glyph.diamond(10)), t('precandidate')),
    item(role('leader', glyph.body(8), glyph.crown(0.48, -4.2)), t('leader')),
    item(role('crashed', glyph.body(8), glyph.cross(6)), t('crashed')),
    item(msg('vote'), t('kVote')),
    item(msg('vote-reply', true), t('kReply')),
    item(msg('append'), t('kAppend')),
    item(msg('heartbeat'), t('kHeartbeat')),
    item([glyph.track(9), glyph.timer(9, { 'stroke-dasharray': '60 100' })], t('timer')));
}
