// A JSON request from the test runner's Node side to an API under test: the status and the parsed body
// (null when the body is not JSON), shared by the web-test-runner plugins.
export async function jsonRequest(base, method, url, body, headers = {}) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: json };
}
