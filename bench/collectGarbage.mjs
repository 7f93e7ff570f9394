/* global fetch, WebSocket -- Node 22 has both */
// A full garbage collection in a running Node process, through its inspector (`node --inspect=HOST:PORT …`):
// `node bench/collectGarbage.mjs [port]` (default 9239). Memory read right after it is what the process keeps,
// not the old generation's garbage since the last major collection, which under load is most of the heap.
const port = Number(process.argv[2] ?? 9239);
const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const socket = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => {
  socket.onopen = resolve;
  socket.onerror = () => reject(new Error(`no inspector on 127.0.0.1:${port}`));
});
const done = new Promise((resolve) => (socket.onmessage = (event) => JSON.parse(event.data).id === 1 && resolve()));
socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
await done;
socket.close();
