// The same small reader as the console's (admin components/qr-scanner.ts): the browser's own
// BarcodeDetector, no library shipped; phones without it use their camera app or the typed code.
import { onBeforeUnmount, ref } from 'vue';

// BarcodeDetector (Chrome on Android, Safari 17+) is not in TypeScript's DOM library yet.
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options?: { formats: string[] }) => BarcodeDetectorLike;

const Detector = (window as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;

/** Scanning needs the detector and a camera API; the camera API exists only on https or localhost. */
export const canScan = typeof Detector === 'function' && typeof navigator.mediaDevices?.getUserMedia === 'function';

/** How often a frame is looked at: quick enough to feel instant, light enough for a cheap phone. */
const SCAN_INTERVAL_MS = 250;

/**
 * The back camera into a <video>, read for QR codes until one is found or `stop` is called.
 * The camera is released on stop and when the page goes away, so its light does not stay on.
 */
export function useQrScanner() {
  const scanning = ref(false);
  let stream: MediaStream | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Ends the current `start` call; also tells a camera that opens after stop to close at once. */
  let settle: ((text: string | null) => void) | null = null;
  let run = 0;

  function stop() {
    run++;
    scanning.value = false;
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    settle?.(null);
    settle = null;
  }

  /** Resolves with the first QR text seen, or null when stopped first. Throws if the camera fails. */
  async function start(video: HTMLVideoElement): Promise<string | null> {
    if (!Detector) return null;
    stop();
    const mine = ++run;
    const detector = new Detector({ formats: ['qr_code'] });
    const opened = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    // Closed while the browser asked for permission: release the camera that just opened.
    if (mine !== run) {
      opened.getTracks().forEach((track) => track.stop());
      return null;
    }
    stream = opened;
    video.srcObject = opened;
    await video.play();
    scanning.value = true;
    return new Promise((resolve) => {
      settle = resolve;
      const tick = async () => {
        const found = await detector.detect(video).catch(() => []);
        if (mine !== run) return; // stopped meanwhile; stop() has settled
        const text = found.find((b) => b.rawValue)?.rawValue;
        if (!text) {
          timer = setTimeout(tick, SCAN_INTERVAL_MS);
          return;
        }
        settle = null;
        stop();
        resolve(text);
      };
      void tick();
    });
  }

  onBeforeUnmount(stop);
  return { scanning, start, stop };
}
