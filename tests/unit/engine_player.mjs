// Plays scripted sessions through the phone's engine (static/engine.js) for
// test_engine_conformance.py: reads the scripts as JSON on stdin, writes what happened.
// argv[2]: the engine's file URL.
import { readFileSync } from "node:fs";

const engine = await import(process.argv[2]);
const scripts = JSON.parse(readFileSync(0, "utf8"));

function play(script) {
  const { phases, cues } = script;
  const runner = new engine.Runner(phases, {
    speed: 1,
    startAt: script.start_at,
    gateHolds: script.gate_holds,
  });
  let now = 0;
  let asked = null;
  let gentler = new Set();
  const holds = [];
  const steps = [];
  for (const step of script.steps) {
    now += step.at - now; // the same sum the Python side's clock makes
    let events = [];
    if (step.do === "advance") events = runner.advance(now);
    else if (step.do === "pause") events = runner.pause(now);
    else if (step.do === "resume") events = runner.resume(now);
    else if (step.do === "skip") events = runner.skip(now);
    else if (step.do === "stop") events = runner.stop(now);
    else if (step.do === "gate_open") runner.setFormOk(true, now);
    else if (step.do === "gate_close") runner.setFormOk(false, now);
    else if (step.do === "camera_lost") runner.ungate(now);
    else if (step.do === "felt" && asked !== null) {
      const phase = phases.find((p) => p.hold_number === asked);
      gentler = engine.gentlerAfter(gentler, phase.side, step.felt);
      asked = null;
    }
    const said = [];
    for (const event of events) {
      if (event.type === "hold_recorded") holds.push(event.hold);
      asked = engine.feltAsked(event, phases, asked);
      said.push(...engine.eventCues(event, phases, cues, gentler));
    }
    steps.push({
      events,
      said,
      asked,
      gentler: [...gentler].sort(),
      snapshot: runner.snapshot(now),
    });
  }
  return {
    steps,
    done: engine.holdsDone(phases, holds),
    resume: engine.resumePhase(phases, script.saved),
  };
}

process.stdout.write(JSON.stringify(scripts.map(play)));
