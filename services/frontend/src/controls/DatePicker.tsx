import type { IsoDate } from "../calendar.js";

const dayFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
});

/** The labelled date picker: only NYSE trading days up to the ticker's latest date with data. */
export function DatePicker({
  options,
  value,
  onChange,
}: {
  options: readonly IsoDate[];
  value: IsoDate;
  onChange: (date: IsoDate) => void;
}) {
  return (
    <div className="field">
      <label htmlFor="date">Trading day</label>
      <select id="date" value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((date) => (
          <option key={date} value={date}>
            {dayFormat.format(new Date(`${date}T00:00:00Z`))}
          </option>
        ))}
      </select>
    </div>
  );
}
