package io.faaspot.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One kept-alive HTTP/1.1 connection: a request, then its whole response, at a time. The wire
 * protocol alone (a response's length, chunked or not, and whether the server closes), apart from
 * {@link Api}, which builds the requests and keeps one connection per client thread.
 */
final class HttpConnection {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  HttpConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16384);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16384);
  }

  Response exchange(byte[] head, byte[] body) throws IOException {
    out.write(head);
    if (body != null) {
      out.write(body);
    }
    out.flush();
    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).strip();
      String value = h.substring(colon + 1).strip();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.toLowerCase().contains("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (chunked) {
      for (long size = chunkSize(); size > 0; size = chunkSize()) {
        copy(size, bytes);
        line();
      }
      for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
        // Trailers: none expected.
      }
    } else if (length >= 0) {
      copy(length, bytes);
    } else {
      in.transferTo(bytes);
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(code, bytes.toByteArray());
  }

  private long chunkSize() throws IOException {
    String size = line();
    int semi = size.indexOf(';');
    return Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException("the response ended early");
      }
      to.write(buf, 0, r);
      n -= r;
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '\r') {
          s.setLength(end - 1);
        }
        return s.toString();
      }
      s.append((char) b);
    }
    throw new EOFException("the connection closed");
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closed anyway.
    }
  }
}
