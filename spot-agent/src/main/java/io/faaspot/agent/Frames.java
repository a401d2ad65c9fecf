package io.faaspot.agent;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The framing between agent and worker: a 4-byte big-endian length, then that many bytes of UTF-8
 * JSON. The worker's own stdout is moved off this channel, so prints cannot corrupt it.
 */
final class Frames {
  static final int MAX_FRAME = 64 * 1024 * 1024;

  private Frames() {}

  static void write(OutputStream out, byte[] payload) throws IOException {
    byte[] header = {
      (byte) (payload.length >>> 24),
      (byte) (payload.length >>> 16),
      (byte) (payload.length >>> 8),
      (byte) payload.length
    };
    out.write(header);
    out.write(payload);
    out.flush();
  }

  /** The next frame, or null at the end of the stream. */
  static byte[] read(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException("bad frame length " + length);
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }
}
