import sharp from 'sharp';

const TILE_SIZE = 256;
const BACKGROUND = '#f4f1ec';
const EDGE = '#e2ddd4';
const QUARTER = '#ebe7e0';

/**
 * Offline base-map tiles: a light background with a faint grid, so a map without internet (the
 * tests, a closed network) still shows that it pans and zooms. Every tile is the same picture,
 * so one PNG is drawn on first use and kept in memory.
 */
export class LocalTiles {
  private png: Promise<Buffer> | null = null;

  tile(): Promise<Buffer> {
    this.png ??= render().catch((err: unknown) => {
      // A failed render is retried on the next request rather than cached.
      this.png = null;
      throw err;
    });
    return this.png;
  }
}

function render(): Promise<Buffer> {
  const quarters = [64, 128, 192].map((p) => `M${p + 0.5} 0V${TILE_SIZE}M0 ${p + 0.5}H${TILE_SIZE}`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${TILE_SIZE}" height="${TILE_SIZE}">
<rect width="100%" height="100%" fill="${BACKGROUND}"/>
<path d="${quarters}" stroke="${QUARTER}" stroke-width="1"/>
<path d="M0.5 0V${TILE_SIZE}M0 0.5H${TILE_SIZE}" stroke="${EDGE}" stroke-width="1"/>
</svg>`;
  return sharp(Buffer.from(svg)).png({ palette: true, colours: 8 }).toBuffer();
}
