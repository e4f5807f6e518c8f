// Check-in scanner: decodes QR codes in a Web Worker, so that the page stays responsive while
// jsQR (vendored, static/vendor/jsqr) works through a camera frame.
/* global jsQR */
importScripts("../vendor/jsqr/jsQR.js");

self.onmessage = (event) => {
  const { id, width, height, buffer } = event.data;
  let text = null;
  try {
    const found = jsQR(new Uint8ClampedArray(buffer), width, height, { inversionAttempts: "attemptBoth" });
    text = found && found.data ? found.data : null;
  } catch (error) {
    text = null;
  }
  self.postMessage({ id, text });
};
