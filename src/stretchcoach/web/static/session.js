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
// When a hold ends, what is said and when: the engine (engine.js), the terminal's runner in
// the browser, held to it by a conformance test; this page only draws, speaks and sends.
"use strict";
import {
  Runner,
  eventCues,
  feltAsked,
  gentlerAfter,
  holdsDone,
  resumePhase,
} from "./engine.js";

(() => {
  const root = document.getElementById("session");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  let speed = Number(root.dataset.speed) || 1; // a resumed session keeps its own speed
  // Whose session this is comes from the server (app.js asks it: this page is kept by the
  // service worker and names nobody); boot() waits for it.
  let user = "";
  let CURRENT = "sc-session:";

  let state = null; // the session, as the server described it, plus holds kept here
  let engine = null; // the runner (engine.js), once the session runs
  let gentler = new Set(); // the legs that reached the nerve: their next holds are gentler
  let finished = false;
  let timer = null;
  let wakeLock = null;
  let pendingFelt = null; // the hold whose feel is being asked: {id, hold_number, side}
  const cameraWanted = root.dataset.camera === "1";
  let camera = "off"; // off | setup | on | failed
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
  function takeOverLegacy() {
    if (root.dataset.mode !== "local" || !user) return;
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
  const phase = () => engine.phase;
  const now = () => (performance.now() / 1000) * speed; // the session clock, in seconds

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
    if (how === "ended") {
      const text = "You have been logged out: what is not sent is kept on this phone for you.";
      if (state) $("sync").textContent = text;
      $("done-sync").textContent = text;
      return;
    }
    let text = "Everything is saved.";
    if (waiting && how === "offline") {
      text = `Offline: ${waiting} waiting, sent when the connection is back.`;
    } else if (waiting && how === "retry") {
      text = `Not saved yet (${waiting} waiting); trying again shortly.`;
    } else if (waiting) {
      text = `Sending ${waiting}…`;
    }
    if (state) $("sync").textContent = text;
    const aside = scOutbox.asideCount();
    $("done-sync").textContent = waiting
      ? `Waiting to send ${waiting} item${waiting === 1 ? "" : "s"}, kept on this phone.`
      : aside
        ? `Saved, except ${aside} set aside: see the top of the page.`
        : "Saved.";
    if (!waiting && finished) showAdvice();
  });

  // -- running the timeline -----------------------------------------------------------------

  function remember() {
    keep(CURRENT, { session: state, finished });
  }

  // What the engine says happened: draw it, say it, send it.
  function handle(events) {
    const said = [];
    for (const event of events) {
      if (event.type === "phase_started") phaseStarted(phases()[event.phase]);
      else if (event.type === "hold_recorded") recordHold(event.hold);
      const asked = feltAsked(event, phases(), pendingFelt ? pendingFelt.hold_number : null);
      if (asked === null) {
        if (pendingFelt) askFelt(null); // not answered in time: the next hold has begun
      } else if (!pendingFelt || pendingFelt.hold_number !== asked) {
        askFelt(state.holds.findLast((h) => h.hold_number === asked));
      }
      // At a fast practice speed the last five seconds would tumble over each other.
      if (event.type === "countdown" && speed > 2) continue;
      said.push(...eventCues(event, phases(), state.cues, gentler));
    }
    if (said.length) say(said.join(" "));
    const end = events.find((event) => event.type === "finished");
    if (end) finish(end.status);
    else if (events.some((event) => event.type === "phase_started")) {
      window.scrollTo(0, 0); // the new step's title and countdown, even after scrolling to answer
      focusStep(); // once the step's question, if any, is asked
    }
  }

  function phaseStarted(p) {
    root.className = `kind-${p.kind}${engine.paused ? " paused" : ""}`;
    showFormStatus();
    $("phase-title").textContent = p.title;
    $("instruction").textContent = p.instruction;
    const next = phases()[p.index + 1];
    $("next").textContent = next ? `Next: ${next.title}` : "Next: finish";
    $("countdown-sr").textContent = `, ${Math.round(p.duration_s)} seconds`;
    // A nerve answer on this leg earlier in the session: gentler, said at the hold's start.
    const gentle = p.kind === "hold" && gentler.has(p.side);
    $("gentler").hidden = !gentle;
    $("gentler").textContent = gentle ? state.cues.gentler : "";
    buzz(p.kind === "hold" ? [120, 80, 120] : [200]);
  }

  function recordHold(hold) {
    const id = uuid();
    const kept = {
      hold_number: hold.hold_number,
      side: hold.side,
      held_s: hold.held_s,
      completed: hold.completed,
    };
    state.holds.push({ id, ...kept, felt: null });
    remember();
    enqueue({ key: id, method: "PUT", url: `/api/sessions/${state.id}/holds/${id}`, body: kept });
  }

  // Focus follows the step, so a screen reader says it and Tab starts from it: the first
  // answer while a hold's feel is asked (the others one and two Tabs on), else the heading.
  function focusStep() {
    const answer = document.querySelector("#felt [data-felt]");
    if (pendingFelt) answer.focus({ preventScroll: true });
    else $(finished ? "done-title" : "phase-h").focus({ preventScroll: true });
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
    gentler = gentlerAfter(gentler, hold.side, felt);
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
    focusStep(); // the answer just tapped has gone
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
    if (finished) return;
    handle(engine.advance(now())); // after the page slept, the engine catches up or says so
    if (finished) return;
    if (camera === "on") scCamera.setPhase(phase().index, engine.elapsed(now()));
    render();
  }

  function render() {
    const snapshot = engine.snapshot(now());
    $("countdown").textContent = String(Math.max(0, Math.ceil(snapshot.remaining_s)));
    $("progress").value = snapshot.progress;
  }

  function setPaused(want, spoken) {
    if (finished || want === engine.paused) return;
    handle(want ? engine.pause(now()) : engine.resume(now()));
    $("pause").textContent = engine.paused ? "Resume" : "Pause";
    if (spoken) say(engine.paused ? "Paused." : "Carry on.");
    root.classList.toggle("paused", engine.paused);
    render();
  }

  const togglePause = () => setPaused(!engine.paused, true);

  // Skip and Stop ask first, in a dialog on the page (window.confirm would silence the voice
  // and freeze the clock on some phones). The session waits while it asks.
  let asking = null;
  function confirmThen(question, yes, action) {
    if (finished || $("confirm").open) return;
    answered(); // a dialog just closed whose "close" event has not come yet: settle it first
    if (finished) return;
    asking = { action, wasPaused: engine.paused };
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
      if (!finished) handle(engine.skip(now()));
    });
  }

  function stop() {
    confirmThen("Stop the session now? The holds you finished are kept.", "Stop", () => {
      if (!finished) handle(engine.stop(now())); // a hold under way is kept if it was held
    });
  }

  function finish(status) {
    finished = true;
    clearInterval(timer);
    if (camera === "on") scCamera.end(); // the server keeps the last hold's form
    else if (camera === "setup") scCamera.close();
    if (wakeLock) wakeLock.release().catch(() => {});
    enqueue({
      key: `finish-${state.id}`,
      method: "POST",
      url: `/api/sessions/${state.id}/finish`,
      body: { status },
    });
    localStorage.removeItem(CURRENT);
    const { done, planned } = holdsDone(state.phases, state.holds);
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
    window.scrollTo(0, 0);
    focusStep();
    scOutbox.flush();
    if (state.holds.length && typeof scPushOffer !== "undefined") scPushOffer.maybeShow();
  }

  // -- the camera coach: set-up, the gate, corrections, each hold's form, fallbacks ---------

  function showFormStatus() {
    const status = $("form-status");
    if (!status) return; // a session without the camera has no form to show
    const inHold = camera === "on" && engine && phase() && phase().kind === "hold";
    const gated = inHold && engine.gated(phase());
    status.hidden = !inHold;
    status.textContent = gated ? "Waiting for good form" : "Good form: counting";
    status.classList.toggle("waiting", gated);
    root.classList.toggle("gated", inHold && gated);
  }

  function setGate(open) {
    if (camera !== "on" || finished || phase().kind !== "hold") return;
    if (engine.gated(phase()) === !open) return;
    engine.setFormOk(open, now());
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
    if (camera !== "on" || finished || message.phase !== phase().index) return;
    if (message.correction) {
      lastCorrection = message.correction;
      if (message.speak) say(message.correction);
      else $("cue").textContent = message.correction;
    }
    setGate(message.gate);
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
      engine.ungate(now()); // the holds count on the clock from here
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
    window.scrollTo(0, 0);
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
    scCamera.connect(session.id, { form: onForm, failed: cameraFailed });
  }

  function run(session, from) {
    state = session;
    speed = Number(session.speed) || speed;
    finished = false;
    // With the camera, each hold counts only once the coach sees good form.
    engine = new Runner(session.phases, { speed, startAt: from, gateHolds: camera === "on" });
    const nerve = session.holds.filter((h) => h.felt === "nerve").map((h) => h.side);
    gentler = new Set(nerve);
    remember();
    $("intro").hidden = true;
    $("run").hidden = false;
    document.body.classList.add("running"); // no tab bar to tap by mistake mid-hold
    keepAwake();
    handle(engine.advance(now()));
    render();
    timer = setInterval(tick, 50);
  }

  // -- where to start: a new session, or the one left open ---------------------------------

  const resumeIndex = (session) => resumePhase(session.phases, session.holds.map((h) => h.hold_number));

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
    await scOutbox.ready;
    user = scOutbox.who();
    CURRENT = `sc-session:${user}`;
    takeOverLegacy();
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
      // offline: what this browser remembers for the last person the server named here
      const local = user ? load(CURRENT, null) : null;
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
    if (!engine || finished || asking || event.target.closest("button, input, a")) return;
    if (event.key === " ") {
      event.preventDefault();
      togglePause();
    }
  });
  boot();
})();
