// Runs WORKERS test workers at once, as a parallel test runner would, each with IntegreSQL's npm client:
// initializeTemplate (the first to get there migrates; the others get 423 and go on), then getTestDatabase and a
// test on it. Prints one JSON line: how many times the migration ran, and each worker's test database.
const { Worker, isMainThread, workerData, parentPort } = require('node:worker_threads');

const url = process.env.INTEGRESQL_URL;
const hash = process.env.TEMPLATE_HASH;
const workers = Number(process.env.WORKERS || '8');

function connection(config) {
  const { Client } = require('pg');
  return new Client({
    host: config.host,
    port: config.port,
    user: config.username,
    password: config.password,
    database: config.database,
  });
}

async function work(index) {
  const { IntegreSQLClient } = require('@devoxa/integresql-client');
  const client = new IntegreSQLClient({ url });
  let migrations = 0;
  await client.initializeTemplate(hash, async (config) => {
    migrations++;
    const pg = connection(config);
    await pg.connect();
    await pg.query('CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL)');
    await pg.query("INSERT INTO item (name) VALUES ('first'), ('second')");
    await pg.end();
  });
  const config = await client.getTestDatabase(hash);
  const pg = connection(config);
  await pg.connect();
  const before = await pg.query('SELECT count(*)::int AS n FROM item');
  await pg.query('INSERT INTO item (name) VALUES ($1)', ['worker ' + index]);
  await pg.end();
  return { migrations, database: config.database, rowsBefore: before.rows[0].n };
}

if (isMainThread) {
  const started = [];
  for (let i = 0; i < workers; i++) {
    started.push(new Promise((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: i });
      worker.on('message', resolve);
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error('worker ' + i + ' exited with ' + code)));
    }));
  }
  Promise.all(started).then((results) => {
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) {
      console.error(JSON.stringify(failed));
      process.exit(1);
    }
    console.log(JSON.stringify({
      migrations: results.reduce((sum, r) => sum + r.migrations, 0),
      databases: results.map((r) => r.database),
      rowsBefore: results.map((r) => r.rowsBefore),
    }));
  }, (error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  work(workerData).then(
    (result) => parentPort.postMessage(result),
    (error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
}
