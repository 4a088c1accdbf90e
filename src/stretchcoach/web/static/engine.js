// The phone's session engine: the terminal's runner (domain/runner.py) and its cues
// (domain/cues.py), the same rules in the browser. No page, no timers, no storage here: the
// page says what time it is on the session clock (seconds, sped up in a practice run) and what
// the person did, and gets back events, what to say, and what to draw.
// tests/unit/test_engine_conformance.py plays the same scripted sessions through this module
// (under Node) and through the runner, and checks that both give the same events, cues and
// screens, so a change to one that the other does not follow fails the tests.
//
// Events (plain objects, in order):
//   {type: "phase_started", phase}            phase: its index in the timeline
//   {type: "second", phase, remaining}        once a second: whole seconds left
//   {type: "halfway", phase}                  a hold half done (if its half is over 5 s)
//   {type: "countdown", phase, n}             the last five seconds of a hold
//   {type: "phase_ended", phase, elapsed_s, skipped}
//   {type: "hold_recorded", hold: {hold_number, side, planned_s, held_s, completed}}
//   {type: "paused", phase} / {type: "resumed", phase}
//   {type: "finished", status}                "completed" or "stopped"
//   {type: "stalled", phase, lost_s, elapsed_s}  not driven for over 5 real seconds: not counted

export const COUNTDOWN_FROM = 5;
export const STALL_AFTER_S = 5; // real seconds without being driven: nobody was coached

const round3 = (x) => Math.round(x * 1000) / 1000;

export class Runner {
  // phases: the timeline the server sent (index, kind, duration_s, side, hold_number, ...).
  // speed: session seconds per real second. startAt: the phase to begin with. gateHolds:
  // every hold starts with the gate closed, counting once the form coach opens it (the
  // camera coach: a hold is credited only with time the coach saw the stretch).
  constructor(phases, { speed = 1, startAt = 0, gateHolds = false } = {}) {
    if (!(startAt >= 0 && startAt < phases.length)) throw new RangeError(`no phase ${startAt}`);
    this.phases = phases;
    this.speed = speed;
    this.startAt = startAt;
    this.gateHolds = gateHolds;
    this.index = -1;
    this.accumulated = 0;
    this.runningSince = null;
    this.paused = false;
    this.formOk = true;
    this.status = "in_progress";
    this.lastSecond = null;
    this.halfwaySent = false;
    this.countdownSent = new Set();
    this.doneBefore = phases.slice(0, startAt).reduce((sum, p) => sum + p.duration_s, 0);
    this.seenAt = null;
    this.unsaid = [];
  }

  get phase() {
    return this.index >= 0 && this.index < this.phases.length ? this.phases[this.index] : null;
  }

  get finished() {
    return this.status !== "in_progress";
  }

  elapsed(now) {
    if (this.runningSince === null) return this.accumulated;
    return this.accumulated + (now - this.runningSince);
  }

  snapshot(now) {
    const phase = this.phase;
    const elapsed = phase ? Math.min(this.elapsed(now), phase.duration_s) : 0;
    const total = this.phases.reduce((sum, p) => sum + p.duration_s, 0);
    const done = this.status === "completed" ? total : this.doneBefore + elapsed;
    return {
      phase: phase ? phase.index : null,
      next_phase: phase && this.index + 1 < this.phases.length ? this.index + 1 : null,
      elapsed_s: elapsed,
      remaining_s: phase ? phase.duration_s - elapsed : 0,
      progress: total ? done / total : 1,
      paused: this.paused,
      gated: this.gated(phase),
      finished: this.finished,
      status: this.status,
    };
  }

  advance(now) {
    if (this.finished) return [];
    const events = [];
    if (this.index < 0) this.startPhase(this.startAt, now, events);
    this.noticeStall(now);
    events.push(...this.unsaid);
    this.unsaid = [];
    while (!this.finished) {
      const phase = this.phases[this.index];
      const elapsed = this.elapsed(now);
      if (elapsed >= phase.duration_s) {
        // Its deadline, or now for a phase that was paused or gated after its time was all
        // counted but before the runner was driven to see it end.
        const endAt =
          this.runningSince === null
            ? now
            : this.runningSince + (phase.duration_s - this.accumulated);
        this.endPhase(phase, phase.duration_s, false, endAt, events);
        continue;
      }
      this.progressEvents(phase, elapsed, events);
      break;
    }
    this.seenAt = now;
    return events;
  }

  pause(now) {
    const phase = this.phase;
    if (this.finished || this.paused || phase === null) return [];
    this.noticeStall(now);
    this.stopCounting(now);
    this.paused = true;
    const events = [...this.unsaid, { type: "paused", phase: phase.index }];
    this.unsaid = [];
    return events;
  }

  resume(now) {
    const phase = this.phase;
    if (this.finished || !this.paused || phase === null) return [];
    this.paused = false;
    this.seenAt = now;
    this.maybeCount(phase, now);
    return [{ type: "resumed", phase: phase.index }];
  }

  // Open or close the gate: a hold's time counts only while the form is right.
  setFormOk(ok, now) {
    if (ok === this.formOk) return;
    this.formOk = ok;
    const phase = this.phase;
    if (phase === null || this.finished) return;
    this.noticeStall(now);
    if (ok) this.maybeCount(phase, now);
    else if (phase.kind === "hold") this.stopCounting(now);
  }

  // The form coach is gone (the camera failed): holds count on time alone from now.
  ungate(now) {
    this.gateHolds = false;
    this.setFormOk(true, now);
  }

  // End the current phase now; a skipped hold is kept as not completed.
  skip(now) {
    const phase = this.phase;
    if (this.finished || phase === null) return [];
    this.noticeStall(now);
    const events = this.unsaid;
    this.unsaid = [];
    const elapsed = Math.min(this.elapsed(now), phase.duration_s);
    this.endPhase(phase, elapsed, true, now, events);
    return events.concat(this.advance(now));
  }

  // End the session early; a hold in progress is kept with the time it was held.
  stop(now) {
    const phase = this.phase;
    if (this.finished) return [];
    this.noticeStall(now);
    const events = this.unsaid;
    this.unsaid = [];
    if (phase !== null) {
      const elapsed = Math.min(this.elapsed(now), phase.duration_s);
      events.push({ type: "phase_ended", phase: phase.index, elapsed_s: elapsed, skipped: true });
      if (phase.kind === "hold" && elapsed > 0) {
        events.push({ type: "hold_recorded", hold: holdResult(phase, elapsed, false) });
      }
    }
    this.stopCounting(now);
    this.status = "stopped";
    events.push({ type: "finished", status: "stopped" });
    return events;
  }

  // -- internals -------------------------------------------------------------------------

  noticeStall(now) {
    const seen = this.seenAt;
    this.seenAt = now;
    const phase = this.phase;
    if (seen === null || this.runningSince === null || phase === null) return;
    if ((now - seen) / this.speed <= STALL_AFTER_S) return;
    this.accumulated += Math.max(0, seen - this.runningSince);
    this.runningSince = now;
    this.unsaid.push({
      type: "stalled",
      phase: phase.index,
      lost_s: now - seen,
      elapsed_s: this.accumulated,
    });
  }

  gated(phase) {
    return phase !== null && phase.kind === "hold" && !this.formOk;
  }

  stopCounting(now) {
    if (this.runningSince !== null) {
      this.accumulated += now - this.runningSince;
      this.runningSince = null;
    }
  }

  maybeCount(phase, at) {
    if (this.runningSince === null && !this.paused && !this.gated(phase)) this.runningSince = at;
  }

  startPhase(index, at, events) {
    this.index = index;
    this.accumulated = 0;
    this.runningSince = null;
    this.lastSecond = null;
    this.halfwaySent = false;
    this.countdownSent = new Set();
    const phase = this.phases[index];
    if (this.gateHolds && phase.kind === "hold") this.formOk = false;
    this.maybeCount(phase, at);
    events.push({ type: "phase_started", phase: index });
  }

  endPhase(phase, elapsed, skipped, at, events) {
    events.push({ type: "phase_ended", phase: phase.index, elapsed_s: elapsed, skipped });
    if (phase.kind === "hold") {
      const completed = !skipped && elapsed >= phase.duration_s;
      events.push({ type: "hold_recorded", hold: holdResult(phase, elapsed, completed) });
    }
    this.doneBefore += phase.duration_s;
    if (this.index + 1 < this.phases.length) {
      this.startPhase(this.index + 1, at, events);
    } else {
      this.runningSince = null;
      this.status = "completed";
      events.push({ type: "finished", status: "completed" });
    }
  }

  progressEvents(phase, elapsed, events) {
    const second = Math.floor(elapsed);
    const hold = phase.kind === "hold";
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      const remaining = Math.ceil(phase.duration_s - elapsed);
      events.push({ type: "second", phase: phase.index, remaining });
      const countdown = hold && remaining >= 1 && remaining <= COUNTDOWN_FROM;
      if (countdown && !this.countdownSent.has(remaining)) {
        for (let n = remaining; n <= COUNTDOWN_FROM; n++) this.countdownSent.add(n);
        events.push({ type: "countdown", phase: phase.index, n: remaining });
      }
    }
    if (hold && !this.halfwaySent && elapsed >= phase.duration_s / 2) {
      this.halfwaySent = true;
      if (phase.duration_s / 2 > COUNTDOWN_FROM) {
        events.push({ type: "halfway", phase: phase.index });
      }
    }
  }
}

function holdResult(phase, elapsed, completed) {
  return {
    hold_number: phase.hold_number,
    side: phase.side,
    planned_s: phase.duration_s,
    held_s: round3(elapsed),
    completed,
  };
}

// -- what is said (domain/cues.py) -----------------------------------------------------------

// What to say for one event, in order. cues: {halfway, finish, stopped, gentler} from the
// server; gentler: the legs (a Set of "left"/"right") whose holds are gentler now.
export function eventCues(event, phases, cues, gentler) {
  if (event.type === "phase_started") {
    const phase = phases[event.phase];
    const said = [phase.cue];
    if (phase.kind === "hold" && gentler.has(phase.side)) said.push(cues.gentler);
    return said;
  }
  if (event.type === "stalled") return [cues.stalled];
  if (event.type === "halfway") return [cues.halfway];
  if (event.type === "countdown") return [String(event.n)];
  if (event.type === "finished") return [event.status === "completed" ? cues.finish : cues.stopped];
  return [];
}

// The hold whose feel is asked after this event (its number), or null.
export function feltAsked(event, phases, asked) {
  if (event.type === "hold_recorded") return event.hold.hold_number;
  if (event.type === "phase_started" && phases[event.phase].kind === "hold") return null;
  return asked;
}

// The legs whose next holds are gentler, once a hold on `side` felt like `felt`.
export function gentlerAfter(gentler, side, felt) {
  const legs = new Set(gentler);
  if (felt === "nerve") legs.add(side);
  return legs;
}

// -- where a session carries on, and how it went (services/web_session.py, domain/session.py)

// The phase before the first hold not yet saved (its get-ready or rest), or null when every
// hold is saved.
export function resumePhase(phases, savedHoldNumbers) {
  const saved = new Set(savedHoldNumbers);
  for (const phase of phases) {
    if (phase.kind !== "hold" || saved.has(phase.hold_number)) continue;
    const before = phases[phase.index - 1];
    return before && before.kind !== "hold" ? before.index : phase.index;
  }
  return null;
}

// "N of M done": the holds completed and the holds planned.
export function holdsDone(phases, holds) {
  return {
    done: holds.filter((hold) => hold.completed).length,
    planned: phases.filter((phase) => phase.kind === "hold").length,
  };
}
