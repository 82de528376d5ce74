// Which simulcast layer the server asks Janus to forward to a page: by room size first, then by
// how tall the page shows the video (the tile's hint).

/** The simulcast layer (0 lowest .. 2 highest) a page gets by default in a room of `size`. */
export function layerForRoomSize(size: number): number {
  return size <= 4 ? 2 : size <= 9 ? 1 : 0;
}

/** The layer that fills a tile `maxHeight` pixels tall (the layers of a 480-line source: 120, 240, 480). */
export function layerForHeight(maxHeight: number): number {
  return maxHeight <= 180 ? 0 : maxHeight <= 360 ? 1 : 2;
}
