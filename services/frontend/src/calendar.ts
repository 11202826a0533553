// Browser-safe slice of the shared exchange calendar (it depends only on @date-fns/tz).
export {
  EXCHANGE_TIME_ZONE,
  addDays,
  exchangeDate,
  exchangeTime,
  sessionFor,
  type IsoDate,
} from "../../shared/src/calendar/index.js";
