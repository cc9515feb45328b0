import * as api from "@tinyllm/models";
import * as testing from "@tinyllm/models/testing";
import { describeExports } from "../../../scripts/exports-snapshot/describe-exports";

describeExports({ "@tinyllm/models": api, "@tinyllm/models/testing": testing });
