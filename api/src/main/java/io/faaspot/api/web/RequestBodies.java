package io.faaspot.api.web;

import io.faaspot.api.config.ApiProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads request bodies the way the old client sends them: JSON with a JSON content type (also on
 * GET and DELETE, also empty), sometimes form-encoded. Bodies are read here rather than by Spring's
 * converters so that the size limit, bad UTF-8 and malformed JSON each get their own clear 4xx.
 */
@Component
public final class RequestBodies {
  private final JsonMapper json;
  private final long maxBytes;
  private final long maxAgentBytes;

  RequestBodies(JsonMapper json, ApiProperties props) {
    this.json = json;
    this.maxBytes = props.maxRequestBytes();
    this.maxAgentBytes = props.maxAgentRequestBytes();
  }

  /** The raw body, at most the configured size (413 beyond it). */
  public byte[] read(HttpServletRequest request) {
    long maxBytes = ApiPathFilter.fromAgent(request) ? maxAgentBytes : this.maxBytes;
    try (InputStream in = request.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw ApiException.tooLarge("request body is over the limit of " + maxBytes + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body as JSON, or null when it is empty (or only white space). */
  public JsonNode json(HttpServletRequest request) {
    return parse(read(request), !ApiPathFilter.fromAgent(request));
  }

  /**
   * A bulk body's array, in any of the old client's three shapes: a bare array, {@code {"<field>":
   * [...]}}, or {@code {"<field>": "<the array as a string>"}} (what the client sends); null when
   * the body holds no array there. The caller says what it expected.
   */
  public JsonNode bulkArray(JsonNode body, String field) {
    JsonNode array = body;
    if (body != null && body.isObject()) {
      array = body.get(field);
      if (array != null && array.isString()) {
        array = parse(array.asString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return array != null && array.isArray() ? array : null;
  }

  public JsonNode parse(byte[] body) {
    return parse(body, true);
  }

  /**
   * @param refuseNul whether a NUL in the text is a 400: so for callers, not for agents, whose
   *     results carry what a function returned or printed and are stored without it ({@link
   *     #replaceNulEscapes})
   */
  private JsonNode parse(byte[] body, boolean refuseNul) {
    String text = utf8(body);
    if (text.isBlank()) {
      return null;
    }
    if (refuseNul && escapesNul(text)) {
      throw ApiException.badRequest("nul_character", ApiPathFilter.NUL_REFUSED);
    }
    try {
      return json.readTree(text);
    } catch (JacksonException e) {
      throw ApiException.badRequest(
          "malformed_json", "request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** 400 if {@code text} (a parameter's name or value, say) holds a NUL character. */
  public static String withoutNul(String text) {
    if (text.indexOf('\0') >= 0) {
      throw ApiException.badRequest("nul_character", ApiPathFilter.NUL_REFUSED);
    }
    return text;
  }

  /** Whether a JSON text escapes a NUL ({@code \\u0000} after an odd number of backslashes). */
  static boolean escapesNul(String text) {
    return nulEscape(text, 0) >= 0;
  }

  /**
   * A JSON text with each escaped NUL made U+FFFD (the replacement character): what a function
   * returned, stored as well as PostgreSQL can.
   */
  public static String replaceNulEscapes(String json) {
    int at = nulEscape(json, 0);
    if (at < 0) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length());
    int from = 0;
    for (; at >= 0; at = nulEscape(json, from)) {
      out.append(json, from, at).append("ufffd");
      from = at + 5;
    }
    return out.append(json, from, json.length()).toString();
  }

  /** Where the next escaped NUL's {@code u0000} starts, from {@code from}; -1 if none. */
  private static int nulEscape(String text, int from) {
    for (int i = text.indexOf("u0000", from); i > 0; i = text.indexOf("u0000", i + 1)) {
      int slashes = 0;
      for (int j = i - 1; j >= 0 && text.charAt(j) == '\\'; j--) {
        slashes++;
      }
      if (slashes % 2 == 1) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The body as a JSON object, or an empty one when absent. Form-encoded bodies ({@code a=b&c=d})
   * become an object of strings, as the old docs show {@code refresh_ip=all}.
   */
  public ObjectNode object(HttpServletRequest request) {
    byte[] body = read(request);
    String type = request.getContentType();
    if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      ObjectNode node = json.createObjectNode();
      form(utf8(body)).forEach(node::put);
      return node;
    }
    JsonNode node = parse(body, !ApiPathFilter.fromAgent(request));
    if (node == null || node.isNull()) {
      return json.createObjectNode();
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("request body must be a JSON object, not " + kind(node));
    }
    return (ObjectNode) node;
  }

  /** A string field of a body: null when absent or null, 400 when it is not a string. */
  public static String optionalString(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw ApiException.badRequest(field + " must be a string");
    }
    return v.asString();
  }

  public ObjectNode newObject() {
    return json.createObjectNode();
  }

  public JsonMapper mapper() {
    return json;
  }

  static Map<String, String> form(String body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(PercentCoding.decodeForm(key), PercentCoding.decodeForm(value));
    }
    return values;
  }

  static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("bad_utf8", "request body is not valid UTF-8");
    }
  }

  public static String kind(JsonNode node) {
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isString()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return "null";
  }
}
