// review/sqlRelations.ts: the tables and views of a Feldera program, and the names each view reads.
import { describe, expect, it } from "vitest";
import { sqlRelations } from "../../provider/review/sqlRelations";

describe("SQL relations (Feldera)", () => {
  it("finds tables, the kinds of views, and the names each view reads", () => {
    const rels = sqlRelations(`
      -- a comment that says CREATE VIEW nope AS SELECT * FROM x;
      CREATE TABLE IF NOT EXISTS bids (id INT, note VARCHAR DEFAULT 'from ghost; join phantom');
      create table "Persons" (id int);
      CREATE OR REPLACE MATERIALIZED VIEW joined AS
        SELECT * FROM bids b, "Persons" AS p JOIN auctions a ON a.id = b.id /* FROM hidden */;
      CREATE LOCAL VIEW windowed (n) AS
        SELECT COUNT(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' HOUR));
      CREATE VIEW nested AS SELECT * FROM (SELECT * FROM public.joined) j;
    `);
    expect(rels.map(({ name, kind, reads }) => ({ name, kind, reads }))).toEqual([
      { name: "bids", kind: "table", reads: [] },
      { name: "Persons", kind: "table", reads: [] },
      { name: "joined", kind: "materialized view", reads: ["bids", "Persons", "auctions"] },
      { name: "windowed", kind: "local view", reads: ["bids"] },
      { name: "nested", kind: "view", reads: ["joined"] },
    ]);
    // An edit inside a string literal is an edit of the statement (the fingerprint of its node).
    expect(rels[0].statement).toContain("'from ghost; join phantom'");
  });
});
