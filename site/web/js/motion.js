// motion.js: what moves smoothly between the simulator's events (messages
// in flight, election timers draining, the timeline's knob) is moved by
// Web Animations of CSS transforms, which the compositor runs by itself:
// while the cluster plays, the page's main thread does no layout or paint
// for them, frame after frame.
//
// An animation's own time is the widget's virtual time: it spans the
// virtual interval [t0, t1] (its duration is t1 - t0 virtual ms) and its
// playback rate is the widget's speed (virtual ms per real ms). So
// playing, pausing, a change of speed and a seek only set its rate or its
// current time, and sync does that for all of them in one pass.
//
// What the main thread still pays for an animation, measured in a trace
// of the playground (docs/performance.md): the browser restyles every
// element whose animation is in its active phase at each frame it draws
// for other reasons, and an animation that finishes asks for a frame of
// its own. So an animation waits for its interval in its before phase
// (negative current time) rather than start early and stand still, and
// it holds its last keyframe for HOLD virtual ms after t1 rather than
// finish there: whoever set it drops or replaces it before then (a
// message is delivered, a timer starts anew) in a frame drawn anyway.

// HOLD is how long, in virtual ms, an animation holds its end before it
// finishes: longer than a message waits to be taken off the picture or a
// timer's second half lasts.
const HOLD = 1000;

export class Motion {
  constructor() {
    this.anims = new Map(); // key -> { anim, t0, dur }
  }

  // set animates el through keyframes over the virtual interval [t0, t1],
  // replacing the animation called key. It starts held; the next sync
  // puts it at the widget's time.
  set(key, el, keyframes, t0, t1) {
    this.drop(key);
    const move = Math.max(1, t1 - t0), dur = move + HOLD;
    // The keyframes' offsets (given, or spread evenly) squeezed into the
    // move, and the last one held to the end.
    const n = keyframes.length;
    const frames = keyframes.map((k, i) => ({ ...k, offset: (k.offset ?? (n > 1 ? i / (n - 1) : 1)) * move / dur }));
    frames.push({ ...keyframes[n - 1], offset: 1 });
    const anim = el.animate(frames, { duration: dur, fill: 'both', easing: 'linear' });
    anim.pause();
    this.anims.set(key, { anim, t0, dur });
  }

  // has reports whether an animation called key is kept.
  has(key) {
    return this.anims.has(key);
  }

  // drop stops the animation called key (its element's own style shows
  // again).
  drop(key) {
    const a = this.anims.get(key);
    if (!a) return;
    a.anim.cancel();
    this.anims.delete(key);
  }

  // clear stops every animation.
  clear() {
    for (const a of this.anims.values()) a.anim.cancel();
    this.anims.clear();
  }

  // sync keeps every animation at virtual time vt. While playing each runs
  // at speed on its own, and its time is set again only when it has
  // drifted by more than a few frames (the simulator stopped for the
  // script, a frame came late); otherwise each is held at vt.
  sync(vt, playing, speed) {
    const slack = 50 * speed;
    for (const { anim, t0, dur } of this.anims.values()) {
      const want = Math.min(vt - t0, dur);
      const run = playing && want < dur;
      if (!run) {
        if (anim.playState === 'running') anim.pause();
        if (anim.currentTime !== want) anim.currentTime = want;
        continue;
      }
      if (anim.playbackRate !== speed) anim.playbackRate = speed;
      if (anim.playState !== 'running') {
        anim.currentTime = want;
        anim.play();
      } else if (Math.abs(anim.currentTime - want) > slack) {
        anim.currentTime = want;
      }
    }
  }
}
