%% mboxos bench anchor for W1, in Erlang: one process streams MESSAGES binaries of BYTES bytes
%% to another. An Erlang mailbox has no capacity, so the consumer acknowledges every message and
%% the producer holds at most DEPTH unacknowledged: the bound a box of capacity DEPTH puts on a
%% blocking sender.
%%
%%   erl -noshell -pa DIR -run mboxos_w1 main MESSAGES DEPTH BYTES WARMUP ROUNDS
%%
%% Prints one JSON object per line: {"round": R, ...} per round, round 0 being the warm-up of
%% WARMUP messages. A round's time runs from the producer's first send to the consumer's last
%% receive, on the VM's monotonic clock. Then halts with status 0.
-module(mboxos_w1).
-export([main/1]).

main(Args) ->
    [Messages, Depth, Bytes, Warmup, Rounds] = [list_to_integer(A) || A <- Args],
    Payload = binary:copy(<<0>>, Bytes),
    lists:foreach(
      fun(Round) ->
              Count = case Round of 0 -> Warmup; _ -> Messages end,
              Nanos = run_round(Count, Depth, Payload),
              io:format("{\"round\":~b,\"messages\":~b,\"depth\":~b,\"bytes\":~b,\"nanos\":~b}~n",
                        [Round, Count, Depth, Bytes, Nanos])
      end, lists:seq(0, Rounds)),
    erlang:halt(0).

now_ns() -> erlang:monotonic_time(nanosecond).

%% One round: returns its nanoseconds once the consumer has every message.
run_round(Count, Depth, Payload) ->
    Main = self(),
    Consumer = spawn_link(fun() -> consume(Count, Main) end),
    spawn_link(fun() -> Main ! {first_send, now_ns()}, produce(Consumer, Payload, Count, Depth) end),
    Start = receive {first_send, T0} -> T0 end,
    End = receive {last_receive, T1} -> T1 end,
    End - Start.

%% Sends while it has credit; with none left, waits for one acknowledgement.
produce(_, _, 0, _) -> ok;
produce(Consumer, Payload, Left, 0) ->
    receive ack -> produce(Consumer, Payload, Left, 1) end;
produce(Consumer, Payload, Left, Credit) ->
    Consumer ! {self(), Payload},
    produce(Consumer, Payload, Left - 1, Credit - 1).

consume(0, Main) -> Main ! {last_receive, now_ns()};
consume(Left, Main) ->
    receive {Producer, _Payload} ->
            Producer ! ack,
            consume(Left - 1, Main)
    end.
