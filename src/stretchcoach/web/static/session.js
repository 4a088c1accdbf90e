// The session page: the morning check-in first (the pain now, where it reaches and three
// questions, sent to /api/checkin, which answers with today's plan or why there is no session
// today), then it runs the timeline the server sent with a big
// countdown, spoken cues, the screen kept awake and a buzz at each change, asks after each
// hold how it felt, and at the end the pain after, then shows the dose for next time and
// anything to watch (the clinical core's verdict after this session, from the server).
// Every hold, answer and rating goes into the outbox (app.js) with an id made here, so a retry after the connection
// comes back never saves it twice. A reload asks the server (or, offline, this browser) where
// the session stands and carries on from the rest before the next hold not yet saved.
// The outbox and the session kept here are keyed by the user, so on a shared phone one
// person's unsent records never go out under another's login; logging out empties them.
// With the camera coach (/session?camera=1, camera.js), a set-up screen comes first, and a
// hold's countdown counts only while the server's form coach says the form is right; if the
// camera cannot be used, the session carries on timed, and says so once.
"use strict";
(() => {
  const root = document.getElementById("session");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  let speed = Number(root.dataset.speed) || 1; // a resumed session keeps its own speed
  const userMeta = document.querySelector('meta[name="sc-user"]');
  const user = userMeta ? userMeta.content : "";
  const CURRENT = `sc-session:${user}`;
  const COUNTDOWN_FROM = 5;

  let state = null; // the session, as the server described it, plus holds kept here
  let index = -1; // the phase running now
  let counted = 0; // session-clock seconds counted in this phase before `since`
  let since = null; // performance.now() when counting (re)started; null while paused
  let paused = false;
  let finished = false;
  let timer = null;
  let halfwaySaid = false;
  let lastCount = null;
  let wakeLock = null;
  let pendingFelt = null; // the hold whose feel is being asked: {id, hold_number, side}
  const cameraWanted = root.dataset.camera === "1";
  let camera = "off"; // off | setup | on | failed
  let gated = false; // a hold waiting for good form: its clock stands still
  let lastCorrection = null;

  // -- small helpers ----------------------------------------------------------------------

  const load = (key, fallback) => {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  };
  const keep = (key, value) => localStorage.setItem(key, JSON.stringify(value));
  // Before keys had a user, one browser had one outbox. Only the one-person app may take it
  // over; with accounts nobody can say whose it was, and logging out clears it.
  if (root.dataset.mode === "local") {
    for (const [legacy, now] of [["sc-outbox", `sc-outbox:${user}`], ["sc-session", CURRENT]]) {
      const old = localStorage.getItem(legacy);
      if (old !== null && localStorage.getItem(now) === null) localStorage.setItem(now, old);
      localStorage.removeItem(legacy);
    }
  }
  const uuid = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const phases = () => state.phases;
  const phase = () => phases()[index];
  const elapsed = () =>
    counted + (since === null ? 0 : ((performance.now() - since) / 1000) * speed);

  function say(text) {
    $("cue").textContent = text;
    if (!$("voice").checked || !("speechSynthesis" in window)) return;
    try {
      speechSynthesis.cancel();
      speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    } catch (error) {
      /* no voice here: the cue is on screen */
    }
  }
  const buzz = (pattern) => {
    if (navigator.vibrate) navigator.vibrate(pattern);
  };

  async function keepAwake() {
    if (!("wakeLock" in navigator) || finished) return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
    } catch (error) {
      wakeLock = null; // not allowed right now (battery saver, hidden page)
    }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state && !finished) {
      keepAwake();
    }
  });

  // -- the outbox (app.js): holds, answers, ratings and the finish, until the server has them -

  const send = scOutbox.send;
  const enqueue = scOutbox.enqueue;

  scOutbox.onChange((waiting, how) => {
    let text = "Everything is saved.";
    if (waiting && how === "offline") {
      text = `Offline: ${waiting} waiting, sent when the connection is back.`;
    } else if (waiting && how === "retry") {
      text = `Not saved yet (${waiting} waiting); trying again shortly.`;
    } else if (waiting) {
      text = `Sending ${waiting}…`;
    }
    if (state) $("sync").textContent = text;
    $("done-sync").textContent = waiting
      ? `Waiting to send ${waiting} item${waiting === 1 ? "" : "s"}, kept on this phone.`
      : "Saved.";
    if (!waiting && finished) showAdvice();
  });

  // -- running the timeline -----------------------------------------------------------------

  function remember() {
    keep(CURRENT, { session: state, finished });
  }

  function startPhase(i, carry = 0) {
    index = i;
    const p = phase();
    gated = camera === "on" && p.kind === "hold"; // counts once the coach sees good form
    // The last phase's overrun carries on into this one, except into a hold that waits for
    // good form: a hold is credited only with time the coach saw the stretch.
    counted = gated ? 0 : carry;
    since = paused || gated ? null : performance.now();
    halfwaySaid = false;
    lastCount = null;
    root.className = `kind-${p.kind}${paused ? " paused" : ""}`;
    showFormStatus();
    $("phase-title").textContent = p.title;
    $("instruction").textContent = p.instruction;
    const next = phases()[i + 1];
    $("next").textContent = next ? `Next: ${next.title}` : "Next: finish";
    $("countdown-sr").textContent = `${p.title}: ${Math.round(p.duration_s)} seconds`;
    if (p.kind === "hold") askFelt(null); // not answered in time: the next hold has begun
    // A nerve answer on this leg earlier in the session: gentler, said at the hold's start.
    const gentler =
      p.kind === "hold" && state.holds.some((h) => h.side === p.side && h.felt === "nerve");
    $("gentler").hidden = !gentler;
    $("gentler").textContent = gentler ? state.cues.gentler : "";
    say(gentler ? `${p.cue} ${state.cues.gentler}` : p.cue);
    buzz(p.kind === "hold" ? [120, 80, 120] : [200]);
    render();
  }

  function endPhase(skipped, carry = 0) {
    const p = phase();
    const held = Math.min(elapsed() - carry, p.duration_s);
    if (p.kind === "hold") recordHold(p, held, !skipped && held >= p.duration_s);
    if (index + 1 < phases().length) startPhase(index + 1, carry);
    else finish("completed");
  }

  function recordHold(p, held, completed) {
    const id = uuid();
    const hold = {
      hold_number: p.hold_number,
      side: p.side,
      held_s: Math.round(Math.max(held, 0) * 1000) / 1000,
      completed,
    };
    state.holds.push({ id, ...hold, felt: null });
    remember();
    enqueue({ key: id, method: "PUT", url: `/api/sessions/${state.id}/holds/${id}`, body: hold });
    askFelt({ id, hold_number: hold.hold_number, side: hold.side });
  }

  // -- how did it feel: asked after every hold, until answered or the next hold starts ------

  function askFelt(hold) {
    pendingFelt = hold;
    $("felt").hidden = hold === null;
    if (hold) {
      $("felt-question").textContent = `How did hold ${hold.hold_number} (${hold.side} leg) feel?`;
      $("felt-said").textContent = "";
    }
  }

  function answerFelt(felt) {
    const hold = pendingFelt;
    if (!hold) return;
    askFelt(null);
    const kept = state.holds.find((h) => h.id === hold.id);
    if (kept) kept.felt = felt;
    if (!finished) remember();
    enqueue({
      key: `felt-${hold.id}`,
      method: "PUT",
      url: `/api/sessions/${state.id}/holds/${hold.id}/felt`,
      body: { felt },
    });
    $("felt-said").textContent =
      felt === "nerve"
        ? `Noted. The next ${hold.side} hold will be gentler.`
        : "Noted, thank you.";
    $("felt-said").hidden = false;
  }

  // -- pain before and after: a 0 to 10 rating, kept with the session ----------------------

  function keepPain(score, context) {
    const id = uuid();
    enqueue({
      key: id,
      method: "PUT",
      url: `/api/journal/${id}`,
      body: { score, context, session_id: state.id },
    });
  }

  // -- what next: the clinical core's verdict, once everything is saved ---------------------

  let adviceAsked = false;
  async function showAdvice() {
    if (adviceAsked) return;
    adviceAsked = true;
    let found;
    try {
      const url = `/api/sessions/${state.id}/advice`; // the verdict for the dose just run
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      found = await response.json();
    } catch (error) {
      adviceAsked = false; // asked again when the outbox next empties
      return;
    }
    const note = found.note ? `${found.note} ` : ""; // a practice run changes no dose
    $("advice-reason").textContent = `${note}Next time: ${found.plan.reason}`;
    const list = $("advice-flags");
    list.replaceChildren();
    for (const flag of found.flags) {
      if (flag.severity === "info") continue;
      const item = document.createElement("li");
      item.className = flag.severity === "ease-off" ? "notice" : "alarm";
      item.textContent = flag.message;
      list.append(item);
    }
    $("advice-call").hidden = !found.flags.some((flag) => flag.severity === "urgent");
    $("advice").hidden = false;
  }

  function tick() {
    if (finished || paused) return;
    // Catch up after the page slept: end every phase whose deadline has passed.
    for (let guard = 0; guard < phases().length && !finished; guard++) {
      const p = phase();
      const e = elapsed();
      if (e < p.duration_s) break;
      endPhase(false, e - p.duration_s);
    }
    if (finished) return;
    const p = phase();
    const e = elapsed();
    if (camera === "on") scCamera.setPhase(index, e);
    if (p.kind === "hold") {
      const remaining = Math.ceil(p.duration_s - e);
      if (!halfwaySaid && e >= p.duration_s / 2) {
        halfwaySaid = true;
        if (p.duration_s / 2 > COUNTDOWN_FROM) say(state.cues.halfway);
      }
      if (remaining <= COUNTDOWN_FROM && remaining >= 1 && remaining !== lastCount) {
        lastCount = remaining;
        if (speed <= 2) say(String(remaining));
      }
    }
    render();
  }

  function render() {
    const p = phase();
    const e = Math.min(elapsed(), p.duration_s);
    $("countdown").textContent = String(Math.max(0, Math.ceil(p.duration_s - e)));
    const total = phases().reduce((sum, q) => sum + q.duration_s, 0);
    const before = phases().slice(0, index).reduce((sum, q) => sum + q.duration_s, 0);
    $("progress").value = total ? (before + e) / total : 1;
  }

  function setPaused(now, spoken) {
    if (finished || now === paused) return;
    if (now) {
      counted = elapsed();
      since = null;
    } else {
      since = gated ? null : performance.now();
    }
    paused = now;
    $("pause").textContent = paused ? "Resume" : "Pause";
    if (spoken) say(paused ? "Paused." : "Carry on.");
    root.classList.toggle("paused", paused);
    render();
  }

  const togglePause = () => setPaused(!paused, true);

  // Skip and Stop ask first, in a dialog on the page (window.confirm would silence the voice
  // and freeze the clock on some phones). The session waits while it asks.
  let asking = null;
  function confirmThen(question, yes, action) {
    if (finished || $("confirm").open) return;
    answered(); // a dialog just closed whose "close" event has not come yet: settle it first
    if (finished) return;
    asking = { action, wasPaused: paused };
    setPaused(true, false);
    $("confirm-question").textContent = question;
    $("confirm-yes").textContent = yes;
    $("confirm").returnValue = "";
    $("confirm").showModal();
    $("confirm").querySelector("[autofocus]").focus(); // the safe answer first, at once: a quick Tab must not skip it
    say(question);
  }
  function answered() {
    const done = asking;
    asking = null;
    if (!done) return;
    if (!done.wasPaused) setPaused(false, false);
    if ($("confirm").returnValue === "yes") done.action();
    else say("Carry on.");
  }
  $("confirm").addEventListener("close", answered);

  function skip() {
    const what = phase().kind === "hold" ? "this hold" : "this step";
    confirmThen(`Skip ${what}?`, `Skip ${what}`, () => {
      if (!finished) endPhase(true, 0);
    });
  }

  function stop() {
    confirmThen("Stop the session now? The holds you finished are kept.", "Stop", () => {
      if (finished) return;
      const p = phase();
      const held = Math.min(elapsed(), p.duration_s);
      if (p.kind === "hold" && held > 0) recordHold(p, held, false);
      finish("stopped");
    });
  }

  function finish(status) {
    finished = true;
    clearInterval(timer);
    if (camera === "on") scCamera.end(); // the last hold's form still comes back
    else if (camera === "setup") scCamera.close();
    if (wakeLock) wakeLock.release().catch(() => {});
    enqueue({
      key: `finish-${state.id}`,
      method: "POST",
      url: `/api/sessions/${state.id}/finish`,
      body: { status },
    });
    localStorage.removeItem(CURRENT);
    const done = state.holds.filter((h) => h.completed).length;
    const planned = state.phases.filter((p) => p.kind === "hold").length;
    say(status === "completed" ? state.cues.finish : "Session stopped.");
    buzz([300, 100, 300]);
    $("run").hidden = true;
    $("done").hidden = false;
    document.body.classList.remove("running");
    $("done-title").textContent = status === "completed" ? "All done" : "Stopped";
    const heldNothing = state.holds.every((h) => Math.round(h.held_s) === 0);
    $("summary").textContent = heldNothing && status !== "completed"
      ? "Stopped before the first hold got going. Come back to it when you are ready."
      : `${done} of ${planned} holds done. Well done for showing up.`;
    $("done-felt").append($("felt"), $("felt-said")); // the last hold's question stays until answered
    $("after").hidden = state.holds.length === 0;
    scOutbox.flush();
  }

  // -- the camera coach: set-up, the gate, corrections, each hold's form, fallbacks ---------

  function showFormStatus() {
    const status = $("form-status");
    if (!status) return; // a session without the camera has no form to show
    const inHold = camera === "on" && state && phase() && phase().kind === "hold";
    status.hidden = !inHold;
    status.textContent = gated ? "Waiting for good form" : "Good form: counting";
    status.classList.toggle("waiting", gated);
    root.classList.toggle("gated", inHold && gated);
  }

  function setGate(open) {
    if (camera !== "on" || finished || phase().kind !== "hold" || gated === !open) return;
    if (!open) {
      counted = elapsed();
      since = null;
    } else if (!paused) {
      since = performance.now();
    }
    gated = !open;
    // Put right: the correction has done its job (the terminal clears it the same way).
    if (open && lastCorrection && $("cue").textContent === lastCorrection) $("cue").textContent = "";
    showFormStatus();
    render();
  }

  function onForm(message) {
    if (camera === "setup") {
      const check = $("setup-check");
      check.textContent = message.setup || "Looks good: the coach can see you.";
      check.classList.toggle("ok", !message.setup);
      return;
    }
    if (camera !== "on" || finished || message.phase !== index) return;
    if (message.correction) {
      lastCorrection = message.correction;
      if (message.speak) say(message.correction);
      else $("cue").textContent = message.correction;
    }
    setGate(message.gate);
  }

  function onHoldForm(message) {
    const hold = state && state.holds.find((h) => h.hold_number === message.hold_number);
    if (!hold || hold.form) return;
    hold.form = true;
    if (!finished) remember();
    enqueue({
      key: `form-${hold.id}`,
      method: "PUT",
      url: `/api/sessions/${state.id}/holds/${hold.id}/form`,
      body: message.form,
    });
  }

  // Said once, whatever went missing: the holds go on, timed, and have no form recorded.
  function cameraFailed(why) {
    if (camera === "failed" || camera === "off") return;
    const during = camera === "on";
    camera = "failed";
    if (window.scCamera) scCamera.close();
    $("camera-view").hidden = true;
    const text = why
      ? `${why}, so the holds are timed without it.`
      : "The holds are timed without the camera.";
    $("camera-note").textContent = text;
    $("camera-note").hidden = false;
    $("setup-skip").hidden = true; // "Start the holds" now does the same: one button
    $("setup-check").textContent = text;
    $("setup-check").classList.remove("ok");
    if (during) {
      gated = false;
      if (!paused && since === null) since = performance.now();
      showFormStatus();
      say(text);
    }
  }

  async function setUp(session, from) {
    state = session;
    camera = "setup";
    $("intro").hidden = true;
    $("before").hidden = true;
    $("setup").hidden = false;
    document.body.classList.add("running"); // no tab bar while setting up and stretching
    $("setup-view").append($("camera-view"));
    const start = () => {
      $("setup").hidden = true;
      if (camera === "setup") camera = "on";
      $("run-view").append($("camera-view"));
      run(session, from);
    };
    $("setup-start").addEventListener("click", start, { once: true });
    $("setup-skip").addEventListener("click", () => {
      cameraFailed(null);
      start();
    }, { once: true });
    $("setup-start").focus();
    try {
      // camera.js is a module: a browser too old for modules never runs it.
      if (!window.scCamera) throw new Error("This phone cannot run the camera coach");
      await scCamera.open({ video: $("camera-video"), canvas: $("camera-skeleton") });
    } catch (error) {
      cameraFailed(error.message);
      return;
    }
    if (camera !== "setup" && camera !== "on") {
      scCamera.close(); // the person chose the timer while the camera was starting
      return;
    }
    $("setup-check").textContent = "Looking for you…";
    scCamera.connect(session.id, { form: onForm, holdForm: onHoldForm, failed: cameraFailed });
  }

  function run(session, from) {
    state = session;
    speed = Number(session.speed) || speed;
    finished = false;
    remember();
    $("intro").hidden = true;
    $("run").hidden = false;
    document.body.classList.add("running"); // no tab bar to tap by mistake mid-hold
    keepAwake();
    startPhase(from);
    timer = setInterval(tick, 50);
  }

  // -- where to start: a new session, or the one left open ---------------------------------

  function resumeIndex(session) {
    const saved = new Set(session.holds.map((h) => h.hold_number));
    for (const p of session.phases) {
      if (p.kind !== "hold" || saved.has(p.hold_number)) continue;
      const before = session.phases[p.index - 1];
      return before && before.kind !== "hold" ? before.index : p.index;
    }
    return null;
  }

  function withLocalHolds(session) {
    const local = load(CURRENT, null);
    if (!local || !local.session || local.session.id !== session.id) return session;
    const known = new Set(session.holds.map((h) => h.hold_number));
    const extra = local.session.holds.filter((h) => !known.has(h.hold_number));
    return { ...session, holds: session.holds.concat(extra) };
  }

  // -- the morning check-in: the pain now, where, three questions; then today's plan --------

  const morning = { score: null, sites: [], checked: false };
  const STEPS = ["intro", "before", "where", "questions", "today"];

  function show(step) {
    for (const part of STEPS) $(part).hidden = part !== step;
    window.scrollTo(0, 0);
    const heading = $(`${step}-h`);
    if (heading) heading.focus();
  }

  function askBefore() {
    show("before");
    $("before").querySelector("button").focus();
  }

  function pickPain(score) {
    morning.score = score;
    for (const pick of document.querySelectorAll("#before [data-score]")) {
      pick.setAttribute("aria-pressed", String(Number(pick.dataset.score) === score));
    }
    if (score === 0) {
      morning.sites = [];
      show("questions");
    } else {
      show("where");
    }
  }

  function symptoms() {
    const ticked = (name) =>
      [...document.querySelectorAll(`#questions input[name="${name}"]:checked`)].map((b) => b.value);
    const numb = ticked("numb");
    const weaker = ticked("weaker");
    const changed = ticked("changed");
    if (!numb.length || !weaker.length || !changed.length) return null;
    const list = (values) => (values.includes("no") ? [] : values);
    return {
      numb: list(numb),
      weaker: list(weaker),
      changed: list(changed),
    };
  }

  let checking = false;
  async function checkIn() {
    const answers = symptoms();
    const error = $("questions-error");
    if (answers === null) {
      error.textContent = "Please answer each of the three questions: tick No where nothing has changed.";
      error.hidden = false;
      return;
    }
    error.hidden = true;
    if (checking) return; // one check-in per tap, however fast the taps
    checking = true;
    $("questions-next").setAttribute("aria-disabled", "true");
    let response;
    try {
      response = await send("POST", "/api/checkin", {
        score: morning.score,
        sites: morning.sites,
        ...answers,
      });
    } catch (failure) {
      error.textContent = "You are offline: connect to check in and start today's session.";
      error.hidden = false;
      checking = false;
      $("questions-next").removeAttribute("aria-disabled");
      return;
    }
    const found = await response.json().catch(() => ({}));
    checking = false;
    $("questions-next").removeAttribute("aria-disabled");
    if (!response.ok) {
      error.textContent = (found.error && found.error.message) || "Could not check in.";
      error.hidden = false;
      return;
    }
    morning.checked = true;
    showToday(found);
  }

  function sentence(text) {
    const said = text.charAt(0).toUpperCase() + text.slice(1);
    return said.endsWith(".") ? said : `${said}.`;
  }

  function showToday(found) {
    const gate = found.verdict.gate;
    const flags = $("today-flags");
    flags.replaceChildren();
    $("today-call").hidden = !found.urgent;
    if (found.refusal) {
      const alarm = $("today-alarm");
      alarm.hidden = false; // shown first, then filled: a screen reader hears the alert
      // what the person just said, in the words of its level; else why the gate is closed
      alarm.textContent = found.reported ? found.reported.message : sentence(found.refusal);
      $("today-plan").textContent = found.reported
        ? `No session today. Once you have been seen, record it ${found.seen_where}.`
        : "No session today.";
      $("today-start").hidden = true;
      const back = $("today-back").querySelector("a");
      if (gate.due) {
        back.href = "/screen";
        back.textContent = "Answer the questions";
      }
      $("today-back").hidden = false;
      show("today");
      return;
    }
    const settings = found.settings;
    const reps =
      settings.reps.left === settings.reps.right
        ? `${settings.reps.left} on each leg`
        : `${settings.reps.left} on the left, ${settings.reps.right} on the right`;
    $("today-plan").textContent =
      `Today: ${settings.hold_s} s holds, ${reps}. ${found.verdict.plan.reason}`;
    for (const message of found.warnings) {
      const item = document.createElement("li");
      item.className = "notice";
      item.textContent = message;
      flags.append(item);
    }
    $("today-start").hidden = false;
    $("today-back").hidden = true;
    show("today");
    $("today-start").focus();
  }

  let starting = false;
  async function begin(score) {
    if (starting) return; // one start per tap, however fast the taps
    starting = true;
    const status = score === null ? $("before-status") : $("today-status");
    status.textContent = "Starting…";
    const body = { speed };
    if (score !== null) body.checkin = { score, sites: morning.sites };
    let response;
    try {
      response = await send("POST", "/api/sessions", body);
    } catch (error) {
      status.textContent = "You are offline: connect to start a new session.";
      starting = false;
      return;
    }
    if (!response.ok) {
      const found = await response.json().catch(() => ({}));
      status.textContent = (found.error && found.error.message) || "Could not start.";
      starting = false;
      return;
    }
    const session = await response.json();
    for (const part of STEPS) $(part).hidden = true;
    state = session;
    if (score === null) {
      const note = $("skipped-note");
      note.textContent = root.dataset.skipped;
      note.hidden = false;
    }
    if (cameraWanted) setUp(session, 0);
    else run(session, 0);
  }

  async function showPlan() {
    try {
      const response = await fetch("/api/verdict", { credentials: "same-origin" });
      if (!response.ok) return;
      const found = await response.json();
      const reason = found.plan.reason;
      $("plan-reason").textContent =
        `From your last mornings: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
      $("plan-reason").hidden = false;
    } catch (error) {
      /* offline: a new session cannot start anyway */
    }
  }

  async function boot() {
    let current = null;
    let offline = false;
    try {
      const response = await fetch("/api/sessions/current", { credentials: "same-origin" });
      if (response.status === 401) {
        window.location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
        return;
      }
      if (response.ok) current = (await response.json()).session;
    } catch (error) {
      offline = true;
      const local = load(CURRENT, null); // offline: what this browser remembers
      current = local && !local.finished ? local.session : null;
    }
    const button = $("begin");
    const ready = () => {
      button.disabled = false;
      $("intro-status").textContent = "";
    };
    if (current) {
      current = withLocalHolds(current);
      const from = resumeIndex(current);
      if (from === null) {
        state = current; // every hold is in: just close it
        enqueue({
          key: `finish-${current.id}`,
          method: "POST",
          url: `/api/sessions/${current.id}/finish`,
          body: { status: "completed" },
        });
        state = null;
        localStorage.removeItem(CURRENT);
      } else {
        const next = current.phases.find((p) => p.index >= from && p.kind === "hold");
        const note = $("resume-note");
        note.hidden = false;
        note.textContent = `Welcome back. You were about to do hold ${next.hold_number}: carry on from there.`;
        button.textContent = "Carry on";
        ready();
        button.addEventListener(
          "click",
          () => (cameraWanted ? setUp(current, from) : run(current, from)),
          { once: true },
        );
        return;
      }
    }
    if (offline) {
      // A new session needs the server (today's check and plan): never offer one offline.
      button.hidden = true;
      $("intro-status").textContent =
        "You are offline: a new session starts once the connection is back.";
      return;
    }
    await showPlan(); // its line goes above the button: shown first, the button never moves under a finger
    button.textContent = "Begin";
    button.addEventListener("click", askBefore, { once: true });
    ready();
  }

  for (const pick of document.querySelectorAll("#before [data-score]")) {
    pick.addEventListener("click", () => pickPain(Number(pick.dataset.score)));
  }
  $("before-skip").addEventListener("click", () => begin(null));
  $("where-next").addEventListener("click", () => {
    morning.sites = [...document.querySelectorAll('#where input[name="sites"]:checked')].map(
      (box) => box.value,
    );
    show("questions");
  });
  $("questions-next").addEventListener("click", checkIn);
  $("today-start").addEventListener("click", () => begin(morning.score));
  for (const pick of document.querySelectorAll("#after [data-score]")) {
    pick.addEventListener("click", () => {
      if ($("after").dataset.given) return; // one rating per session, however fast the taps
      $("after").dataset.given = pick.dataset.score;
      keepPain(Number(pick.dataset.score), "after");
      $("after-said").textContent = `Noted: ${pick.dataset.score} of 10. Thank you.`;
      for (const other of document.querySelectorAll("#after [data-score]")) {
        other.setAttribute("aria-pressed", String(other === pick));
        other.disabled = true;
      }
      adviceAsked = false;
    });
  }
  for (const answer of document.querySelectorAll("#felt [data-felt]")) {
    answer.addEventListener("click", () => answerFelt(answer.dataset.felt));
  }
  // Speak the cues or not: remembered for this person on this phone.
  const VOICE = `sc-voice:${user}`;
  $("voice").checked = load(VOICE, true) !== false;
  $("voice").addEventListener("change", () => keep(VOICE, $("voice").checked));
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skip);
  $("stop").addEventListener("click", stop);
  document.addEventListener("keydown", (event) => {
    if (!state || finished || asking || event.target.closest("button, input, a")) return;
    if (event.key === " ") {
      event.preventDefault();
      togglePause();
    }
  });
  boot();
})();
