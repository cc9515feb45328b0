import * as api from "@tinyllm/memory";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/memory": api });
