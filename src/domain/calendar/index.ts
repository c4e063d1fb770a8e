export { type CalendarEvent, icsCalendar } from './ics.js';
export { offsetMinutes, vtimezone } from './zone.js';
