"""Every number the form coach judges by, in one place. docs/form.md says why each is so.

Pairs of numbers are hysteresis: a state is entered at one value and left only at another,
so the few degrees of noise a camera adds can never flicker it on and off.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FormThresholds:
    """What counts as in view, raised, stretching and good form. Angles in degrees."""

    # -- the set-up: can we trust an angle at all? --------------------------------------------
    min_visibility: float = 0.5  # a joint the model is less sure of than this is not "seen"
    frame_margin: float = 0.01  # joints closer to the edge than 1% of the frame count as out
    side_on_max_ratio: float = 0.45  # shoulder (or hip) spread / trunk length, above: facing us
    side_on_ok_ratio: float = 0.35  # ... and back below this before the set-up is trusted again
    view_max_deg: float = 55.0  # in 3-D: camera this far off the side line is too far round
    view_ok_deg: float = 48.0  # ... and back within this before the set-up is trusted again
    min_brightness: float = 0.12  # mean frame brightness 0..1 below which we ask for more light
    lean_back_max_deg: float = 45.0  # a lean further back than this: the legs are misread
    view_enter_s: float = 0.5  # a view problem must last this long before the state changes
    view_leave_s: float = 0.3  # and the view must be good this long before we trust it again

    # -- which leg is raised ------------------------------------------------------------------
    raised_enter: float = 0.78  # ankle reach forward / leg length to call a leg raised
    raised_leave: float = 0.62  # ... and below this it is down again
    side_margin: float = 0.08  # the other leg must reach this much less to be told apart

    # -- stretching: the trunk leans toward the raised leg ------------------------------------
    lean_enter_deg: float = 12.0  # trunk lean from vertical at which a stretch has begun ...
    lean_enter_min_deg: float = 8.0  # ... lowered for someone tight, never below this
    lean_enter_share: float = 0.5  # ... to this share of the lean they usually hold
    # and a stretch only begins with the raised knee straight (a lean over a bent knee is
    # another exercise)
    lean_leave_deg: float = 6.0  # and below which the person has come back up
    release_s: float = 0.6  # the lean must stay below `lean_leave_deg` this long to end a hold
    hold_lost_s: float = 1.5  # out of view this long ends a hold (shorter is a glitch)
    hold_confirm_s: float = 2.0  # a stretch counts once its form has been right this long;
    # one that ends sooner (a lean to point at the foot) is no hold

    # -- sitting (bed edge, chair, floor), from both thighs: the tracker misreads one at times
    seated_level_deg: float = 45.0  # the leveller thigh no further below level than this ...
    seated_level_leave_deg: float = 55.0  # ... and past this it is not sitting any more
    seated_other_deg: float = 55.0  # the other thigh no further below level than this ...
    seated_other_leave_deg: float = 62.0  # ... (standing or kneeling puts it near 90, and
    # the model reads a standing leg as low as 60)
    seated_hips_ratio: float = 0.5  # the knees, on average, no lower under the hips than
    seated_hips_leave_ratio: float = 0.58  # this share of the thigh's length

    # -- a one-leg stretch, not a two-leg fold -------------------------------------------------
    both_legs_enter_s: float = 0.5  # both legs out straight this long: a two-leg fold
    both_legs_leave_s: float = 0.5  # and one leg down or bent this long to end it

    # -- faults -------------------------------------------------------------------------------
    knee_bent_deg: float = 155.0  # knee angle (180 = straight) below which the knee is bent
    knee_straight_deg: float = 162.0  # ... and above which it is straight again
    knee_margin_deg: float = 10.0  # a knee is bent this far below the hold's own straight ...
    knee_floor_deg: float = 145.0  # ... however it reads, a knee under this is always bent
    knee_baseline_s: float = 1.0  # the hold's own straight: the median knee over this long
    back_round_deg: float = 30.0  # the ear-shoulder-hip line bent this far at the shoulder
    back_tall_deg: float = 23.0  # ... and back below this for a tall back again
    fast_deg_s: float = 45.0  # the fold deepening faster than this is too quick a lean ...
    slow_deg_s: float = 30.0  # ... and under this it is slow again (a calm lean of 15-25° in
    # 1-2 s peaks at 20-40°/s in the middle of the movement)
    still_deg_s: float = 8.0  # the fold changing slower than this is holding still
    steady_deg_s: float = 15.0  # ... and slower than this, nothing to watch every frame for
    settle_s: float = 1.5  # still this long clears "too deep too fast": the plunge is over
    bounce_min_deg: float = 4.0  # a reversal of the lean smaller than this is just noise
    bounce_window_s: float = 2.5  # bounces are counted over this many seconds
    bounce_reversals: int = 3  # this many reversals in the window is bouncing
    deep_margin_deg: float = 10.0  # deeper than this side's reference by this much ...
    deep_window_s: float = 1.5  # ... reached within this long of the lean starting
    deep_plunge_deg: float = 35.0  # or this much deeper within the window, past the usual
    # depth too when there is one (a calm lean of 25° in 1 s is not a plunge)
    ease_off_deg: float = 4.0  # easing off this far from the deepest point clears "too deep"
    fault_enter_s: float = 0.25  # a fault must last this long before it counts
    fault_leave_s: float = 0.4  # and be gone this long before the form is right again

    # -- smoothing (One Euro filter on every landmark, then on every angle) ------------------
    landmark_min_cutoff_hz: float = 0.6  # a still body's joints: jitter filtered hard
    landmark_beta: float = 3.0  # per m/s (world) or per trunk length a second (picture)
    filter_min_cutoff_hz: float = 1.0
    filter_beta: float = 0.02
    filter_d_cutoff_hz: float = 1.0

    # -- speaking corrections -----------------------------------------------------------------
    correction_gap_s: float = 3.0  # never more than one correction in this many seconds
    repeat_gap_s: float = 10.0  # the same correction is not repeated sooner than this
    wait_say_s: float = 1.5  # what stands between the person and the hold (no leg out, no
    # lean, not sitting, both legs out) is said once it has lasted this long: within 3 s


DEFAULT_THRESHOLDS = FormThresholds()
