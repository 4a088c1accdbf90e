// The phone's camera coach: the pose model runs here, on the phone (MediaPipe's
// PoseLandmarker from @mediapipe/tasks-vision, on the CPU, served by this app from
// /static/vendor/mediapipe-tasks-vision, never from elsewhere), and only the landmarks of each
// frame go to the server, over one WebSocket per session. The server's form coach, the same as
// the terminal's, answers each frame with the gate (may the hold count now?), the set-up
// problem and the correction to say; nothing here judges the form. No picture leaves the
// phone: the video stays in the <video> element and is drawn on nothing but the screen.
//
// An ES module; session.js (a module too, run after it) uses it as window.scCamera.
// scCamera.open({video, canvas}) asks for the camera and loads the model (it rejects with a
// reason in plain words); connect(sessionId, handlers) opens the socket and starts sending;
// setPhase(index, phaseSeconds) says where the session is; end() says the session is over
// (the server keeps the last hold's form, then closes); close() stops it all at once.
// What the coach saw of each hold stays on the server, which keeps it with the hold.
const BASE = "/static/vendor/mediapipe-tasks-vision/";
// The library starts loading with the page; a failure to load shows when the camera opens.
const library = import(`${BASE}vision_bundle.mjs`);
library.catch(() => {});
// BlazePose's numbering: the joints the coach reads, and the lines of the skeleton drawn.
const BONES = [
  [7, 11], [8, 12], [11, 12], [11, 23], [12, 24], [23, 24],
  [23, 25], [25, 27], [27, 29], [29, 31], [27, 31],
  [24, 26], [26, 28], [28, 30], [30, 32], [28, 32],
];
const JOINTS = [0, 7, 8, 11, 12, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32];
const STALL_MS = 3000; // a frame unanswered this long: the connection is gone
// The smallest WebAssembly module that uses SIMD (the one tasks-vision checks with): only the
// SIMD build of the runtime ships here.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253,
  15, 253, 98, 11,
]);

window.scCamera = (() => {
  let stream = null;
  let video = null;
  let canvas = null;
  let landmarker = null;
  let stamp = 0; // the last frame's time given to the model (it must always grow)
  let socket = null;
  let handlers = null;
  let running = false;
  let phase = 0;
  let phaseS = 0;
  let streamFps = 12; // until the server says (its "ready")
  let lastSent = 0;
  let unanswered = 0; // frames sent and not answered yet
  let waitingSince = null; // when the oldest of them was sent
  let brightness = null;
  let frames = 0;
  let shade = null;
  let stopped = false;
  let ending = false;

  const reason = {
    refused: "The camera was not allowed",
    unsupported: "This phone cannot run the camera coach",
    slow: "The camera coach is too slow on this phone",
    dropped: "The connection to the camera coach dropped",
  };

  // What the model needs: WebAssembly with SIMD, the camera, and WebGL, which MediaPipe uses
  // to take each video frame in (on an OffscreenCanvas where there is one), even though the
  // model itself runs on the CPU.
  function supported() {
    return Boolean(
      window.WebAssembly &&
        WebAssembly.validate(SIMD_PROBE) &&
        navigator.mediaDevices &&
        navigator.mediaDevices.getUserMedia &&
        (webgl(document.createElement("canvas")) ||
          (typeof OffscreenCanvas !== "undefined" && webgl(new OffscreenCanvas(1, 1)))),
    );
  }

  function webgl(probe) {
    const gl = probe.getContext("webgl2") || probe.getContext("webgl");
    if (!gl) return false;
    const spare = gl.getExtension("WEBGL_lose_context");
    if (spare) spare.loseContext(); // a browser keeps only a few contexts: give this one back
    return true;
  }

  // The lite model on the CPU delegate: in a browser without a GPU it is 35 times as fast as
  // the GPU delegate (docs/benchmarks.md), and on a phone it does not depend on the graphics
  // driver; once the frame is in, it needs nothing but WebAssembly.
  async function load() {
    const { PoseLandmarker } = await library;
    return PoseLandmarker.createFromOptions(
      {
        wasmLoaderPath: `${BASE}vision_wasm_internal.js`,
        wasmBinaryPath: `${BASE}vision_wasm_internal.wasm`,
      },
      {
        baseOptions: { modelAssetPath: `${BASE}pose_landmarker_lite.task`, delegate: "CPU" },
        runningMode: "VIDEO",
        numPoses: 1,
        minPoseDetectionConfidence: 0.5,
        minPosePresenceConfidence: 0.5,
        minTrackingConfidence: 0.5,
        outputSegmentationMasks: false,
      },
    );
  }

  async function open(elements) {
    video = elements.video;
    canvas = elements.canvas;
    stopped = false;
    if (!supported()) throw new Error(reason.unsupported);
    const loading = load(); // while the person answers the camera's question
    loading.catch(() => {}); // a failure is answered below, once the camera is on
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
        audio: false,
      });
    } catch (error) {
      loading.then((model) => model.close(), () => {});
      close();
      throw new Error(reason.refused);
    }
    video.srcObject = stream;
    video.muted = true;
    video.playsInline = true;
    await video.play();
    let model;
    try {
      model = await loading;
    } catch (error) {
      close();
      throw new Error(reason.unsupported);
    }
    if (stopped) {
      model.close(); // closed while the model was loading: the timer runs the holds
      return;
    }
    landmarker = model;
    running = true;
    loop();
  }

  function connect(sessionId, on) {
    handlers = on;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}/api/sessions/${sessionId}/camera`);
    socket.addEventListener("open", () => {
      const tag = document.querySelector('meta[name="csrf-token"]');
      socket.send(JSON.stringify({ type: "hello", csrf: tag ? tag.content : "" }));
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "ready") {
        streamFps = message.stream_fps;
        if (handlers.ready) handlers.ready();
      } else if (message.type === "form") {
        unanswered = Math.max(0, unanswered - 1);
        waitingSince = unanswered ? performance.now() : null;
        handlers.form(message);
      } else if (message.type === "too_slow") {
        fail(reason.slow);
      }
    });
    socket.addEventListener("close", () => (ending ? close() : fail(reason.dropped)));
  }

  function fail(why) {
    if (stopped) return;
    const on = handlers;
    close();
    if (on && on.failed) on.failed(why);
  }

  function setPhase(index, seconds) {
    const moved = index !== phase;
    phase = index;
    phaseS = seconds;
    if (moved && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "phase", phase }));
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // One frame at a time, at most streamFps a second, and always a pause between frames so
  // the page's own clock, buttons and messages get their turn on a slow phone.
  async function loop() {
    while (running) {
      await sleep(Math.max(1000 / streamFps - (performance.now() - lastSent), 10));
      if (!running) return;
      if (video.readyState < 2) continue;
      lastSent = performance.now();
      if (frames % 10 === 0) brightness = measureLight();
      frames += 1;
      let result;
      try {
        stamp = Math.max(lastSent, stamp + 1);
        result = landmarker.detectForVideo(video, stamp);
      } catch (error) {
        fail(reason.unsupported);
        return;
      }
      onResult(result);
      if (waitingSince !== null && performance.now() - waitingSince > STALL_MS) {
        fail(reason.dropped);
        return;
      }
    }
  }

  // The mean brightness of the picture (0..1), from a tiny copy that never leaves the phone:
  // the server's "turn on a light" check needs this one number.
  function measureLight() {
    if (!shade) {
      shade = document.createElement("canvas");
      shade.width = 32;
      shade.height = 24;
    }
    const context = shade.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, shade.width, shade.height);
    const data = context.getImageData(0, 0, shade.width, shade.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    }
    return Math.round((sum / (data.length / 4) / 255) * 1000) / 1000;
  }

  const round = (x) => Math.round(x * 10000) / 10000;

  // The first (only) person's landmarks, in the shape the server has always read. In VIDEO
  // mode MediaPipe follows the person from frame to frame and steadies the points a little
  // (its one-euro filter); the server's coach smooths them again, as it does the terminal's.
  function onResult(result) {
    const points = result.landmarks[0] || null;
    const metres = result.worldLandmarks[0] || null;
    draw(points);
    if (!socket || socket.readyState !== WebSocket.OPEN || !handlers) return;
    const image = points
      ? points.map((p) => [round(p.x), round(p.y), round(p.visibility || 0)])
      : null;
    const world = image && metres ? metres.map((p) => [round(p.x), round(p.y), round(p.z)]) : null;
    unanswered += 1;
    if (waitingSince === null) waitingSince = performance.now();
    socket.send(
      JSON.stringify({
        type: "frame",
        t: performance.now() / 1000,
        phase,
        phase_s: phaseS,
        size: [video.videoWidth, video.videoHeight],
        brightness,
        image,
        world,
      }),
    );
  }

  function draw(points) {
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    if (!points) return;
    context.lineWidth = Math.max(3, width / 120);
    context.strokeStyle = "#35c46a";
    context.fillStyle = "#ffffff";
    context.beginPath();
    for (const [a, b] of BONES) {
      context.moveTo(points[a].x * width, points[a].y * height);
      context.lineTo(points[b].x * width, points[b].y * height);
    }
    context.stroke();
    for (const i of JOINTS) {
      context.beginPath();
      context.arc(points[i].x * width, points[i].y * height, context.lineWidth, 0, 2 * Math.PI);
      context.fill();
    }
  }

  // The session is over: stop the camera now, and wait a moment for the last hold's form.
  function end() {
    running = false;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    if (!socket || socket.readyState !== WebSocket.OPEN || ending) {
      if (!ending) close();
      return;
    }
    ending = true;
    socket.send(JSON.stringify({ type: "end" }));
    setTimeout(close, 5000);
  }

  function close() {
    stopped = true;
    ending = false;
    running = false;
    if (socket) {
      try {
        socket.close(1000, "session over");
      } catch (error) {
        /* already closed */
      }
    }
    socket = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    if (landmarker) landmarker.close();
    landmarker = null;
    handlers = null;
    unanswered = 0;
    waitingSince = null;
  }

  return { open, connect, setPhase, end, close, reason };
})();
