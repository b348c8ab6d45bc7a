import { defineRoute } from './contract.ts';
import { idParams } from './rewards.ts';
import { pageQuery } from './text.ts';
import {
  attendanceRequest,
  attendanceResponse,
  bookingRequest,
  bookingSchema,
  checkinCodeResponse,
  checkinRequest,
  checkinResponse,
  feedbackResponse,
  myBookingsResponse,
  myVisitsQuery,
  myVisitsResponse,
  occurrenceSchema,
  ratingRequest,
  rosterQuery,
  rosterResponse,
  sessionInput,
  upcomingQuery,
  upcomingResponse,
  visitSchema,
  visitsQuery,
  visitsResponse,
  visitsTodayResponse,
} from './station-visits.ts';

/** At a station: check in with its rotating code, rate the visit, book a service session. */
export const stationVisitsRoutes = {
  checkin: defineRoute({ method: 'POST', path: '/api/v1/stations/checkins', summary: 'Check in at a station with its current code (once per 2 hours counts); needs an Idempotency-Key', body: checkinRequest, response: checkinResponse }),
  checkinCode: defineRoute({ method: 'GET', path: '/api/v1/stations/:id/checkin-code', summary: 'The station’s current check-in code, for its counter screen', params: idParams, response: checkinCodeResponse }),
  visitsToday: defineRoute({ method: 'GET', path: '/api/v1/stations/visits/today', summary: 'Visits today and ratings of the stations the caller keeps or oversees', response: visitsTodayResponse }),
  myVisits: defineRoute({ method: 'GET', path: '/api/v1/stations/visits/mine', summary: 'The worker’s recent visits, optionally at one station', query: myVisitsQuery, response: myVisitsResponse }),
  rate: defineRoute({ method: 'POST', path: '/api/v1/stations/visits/:id/rating', summary: 'Rate one’s own visit (1–5 and feedback), once', params: idParams, body: ratingRequest, response: visitSchema }),
  feedback: defineRoute({ method: 'GET', path: '/api/v1/stations/:id/feedback', summary: 'Ratings and feedback of a station, newest first', params: idParams, query: pageQuery, response: feedbackResponse }),
  visits: defineRoute({ method: 'GET', path: '/api/v1/stations/:id/visits', summary: 'Check-ins per day and hour (China time) between two days, for opening-hours compliance', params: idParams, query: visitsQuery, response: visitsResponse }),
  upcoming: defineRoute({ method: 'GET', path: '/api/v1/stations/:id/sessions', summary: 'Upcoming service sessions of a station with seats left', params: idParams, query: upcomingQuery, response: upcomingResponse }),
  createSession: defineRoute({ method: 'POST', path: '/api/v1/stations/:id/sessions', summary: 'Offer a service session (once or weekly) at a station', params: idParams, body: sessionInput, response: occurrenceSchema }),
  cancelSession: defineRoute({ method: 'POST', path: '/api/v1/stations/sessions/:id/cancel', summary: 'Stop offering a session; its future dates disappear', params: idParams, response: null }),
  book: defineRoute({ method: 'POST', path: '/api/v1/stations/sessions/:id/bookings', summary: 'Book a seat at one date of a session; needs an Idempotency-Key', params: idParams, body: bookingRequest, response: bookingSchema }),
  roster: defineRoute({ method: 'GET', path: '/api/v1/stations/sessions/:id/bookings', summary: 'Who booked one date of a session, for attendance', params: idParams, query: rosterQuery, response: rosterResponse }),
  myBookings: defineRoute({ method: 'GET', path: '/api/v1/stations/bookings/mine', summary: 'The worker’s bookings, upcoming first', response: myBookingsResponse }),
  cancelBooking: defineRoute({ method: 'POST', path: '/api/v1/stations/bookings/:id/cancel', summary: 'Cancel one’s booking before the session starts; the seat is freed', params: idParams, response: bookingSchema }),
  attendance: defineRoute({ method: 'POST', path: '/api/v1/stations/bookings/:id/attendance', summary: 'Mark whether the booked worker came', params: idParams, body: attendanceRequest, response: attendanceResponse }),
};
