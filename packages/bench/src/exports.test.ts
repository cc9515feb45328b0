import * as api from "@tinyllm/bench";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/bench": api });
