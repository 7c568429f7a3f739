/** The shapes of the tracking endpoints (see the HTTP contract: "Tracking page settings", "Public tracking data"). */

export type TrackingStatus = 'scheduled' | 'assigned' | 'onTheWay' | 'completed' | 'failed' | 'cancelled';

export type TrackingEvent = 'created' | 'pickedUp' | 'started' | 'completed' | 'failed' | 'cancelled';

/** [longitude, latitude] */
export type Coordinates = [number, number];

export interface TrackingBranding {
  logo: string | null;
  primaryColor: string;
  headline: string;
  message: string;
  contactPhone: string | null;
  contactEmail: string | null;
}

/** GET /api/v2/tracking/:shortId — what a recipient may see of one task. Times are Unix ms. */
export interface Tracking {
  shortId: string;
  kind: 'pickup' | 'dropoff';
  status: TrackingStatus;
  merchantName: string;
  branding: TrackingBranding;
  destination: { address: string; location: Coordinates | null };
  /** estimated arrival, only while on the way */
  eta: number | null;
  completeAfter: number | null;
  completeBefore: number | null;
  timeline: { event: TrackingEvent; time: number }[];
  /** only while on the way; name and location are null when the merchant hides them */
  driver: { name: string | null; location: Coordinates | null } | null;
  /** image URLs; only once completed, and when the merchant shows proof of delivery */
  proof: { notes: string | null; photo: string | null; signature: string | null } | null;
  feedback: { enabled: boolean; submitted: boolean };
  timeLastModified: number;
}

/** GET /api/v2/trackingPage — the caller organization's tracking page. */
export interface TrackingPageSettings {
  /** an image URL; null = the organization's own logo */
  logo: string | null;
  /** '#rrggbb' */
  primaryColor: string;
  headline: string;
  message: string;
  contactPhone: string | null;
  contactEmail: string | null;
  showDriverName: boolean;
  showDriverPhoto: boolean;
  showDriverLocation: boolean;
  showProofOfDelivery: boolean;
  feedbackEnabled: boolean;
  /** true for a client that has set nothing: these are its courier's settings */
  inherited: boolean;
}

export type TrackingPageInput = Partial<Omit<TrackingPageSettings, 'inherited'>>;

export interface FeedbackInput {
  rating: number;
  comments?: string;
}
