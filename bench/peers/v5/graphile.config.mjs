// PostGraphile 5 (Grafast) over Lieu's tables, as a team would deploy it: the amber preset,
// the connection filter and the simplified inflection. DATABASE_URL and PORT from the
// environment (bench/peers/run.sh sets them).
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";

export default {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset, PgSimplifyInflectionPreset],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { host: "127.0.0.1", port: Number(process.env.PORT ?? 5005) },
  grafast: { explain: false },
  // Filters and orders on every column, as PostGraphile 4 does by default: the grid filters on
  // `ends_at`, which has no index of its own.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
};
