// Loaded with NODE_OPTIONS=--require by the bench's --profile: records a V8
// CPU profile of this Node process (the program or a dynamic provider) into
// $PULUMI_PIPELINES_PROFILE_DIR when it ends. `node --cpu-prof` would do the
// same, but Node refuses it in NODE_OPTIONS, and the engine starts both.
const dir = process.env.PULUMI_PIPELINES_PROFILE_DIR;
if (dir) {
  const fs = require("node:fs");
  const path = require("node:path");
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The session is in this thread: the callback runs before post() returns, so this works in an exit handler.
    session.post("Profiler.stop", (err, res) => {
      if (err || !res) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGTERM", "SIGINT"])
    process.once(signal, () => {
      write();
      process.exit(128 + (signal === "SIGTERM" ? 15 : 2));
    });
}
