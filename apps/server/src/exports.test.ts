import * as api from "@tinyllm/server";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/server": api });
