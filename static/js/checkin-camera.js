// Check-in scanner: the camera, scanned continuously. Frames are scaled down, drawn on a canvas
// and handed to the decoder worker one at a time; `onFrame` hears each frame's text (or null).

const MAX_WIDTH = 800;

export class Camera {
  constructor(video, decoderUrl, onFrame) {
    this.video = video;
    this.onFrame = onFrame;
    this.decoderUrl = decoderUrl;
    this.stream = null;
    this.worker = null;
    this.busy = false;
    this.frameId = 0;
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
    this.loop = this.loop.bind(this);
  }

  static available() {
    return Boolean(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    if (this.running) return;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    this.video.srcObject = this.stream;
    await this.video.play();
    this.worker = new Worker(this.decoderUrl);
    this.worker.onmessage = (event) => {
      this.busy = false;
      this.onFrame(event.data.text);
    };
    this.worker.onerror = () => { this.busy = false; };
    this.timer = window.setInterval(this.loop, 120);
  }

  stop() {
    window.clearInterval(this.timer);
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.busy = false;
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  loop() {
    const video = this.video;
    if (this.busy || !this.worker || video.readyState < 2 || !video.videoWidth) return;
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    this.context.drawImage(video, 0, 0, width, height);
    const image = this.context.getImageData(0, 0, width, height);
    this.busy = true;
    this.frameId += 1;
    this.worker.postMessage({ id: this.frameId, width, height, buffer: image.data.buffer }, [image.data.buffer]);
  }
}
